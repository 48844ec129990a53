import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';

/** Logs uninstalls and revoked tokens: the operator should know the bot lost its access. */
export async function onAccessLost({
  event,
  body,
  logger,
}: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled' | 'tokens_revoked'>) {
  logger.warn(`${event.type} received for team ${body.team_id}: the bot can no longer act there`);
}

/** The agent DM view reports where the user is in Slack; nothing to do with it yet but note it. */
export async function onAppContextChanged({ logger }: AllMiddlewareArgs) {
  logger.debug('app_context_changed received');
}
