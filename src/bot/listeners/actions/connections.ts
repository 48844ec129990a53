import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ConnectionService } from '../../../agent/connections.js';
import { userMessageFor } from '../../../errors.js';
import { afterAck } from '../../after-ack.js';
import { connectBlocks } from '../../connect-blocks.js';
import { homeView } from '../../home-view.js';

/** What the connection buttons need. */
export interface ConnectionActionDeps {
  connections: ConnectionService;
  composioUserIdOf(teamId: string, userId: string): Promise<string>;
}

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;
const teamOf = (body: BlockButtonAction) => body.team?.id ?? body.user.team_id ?? '';

/** Disconnect (after Slack's confirm dialog), from the App Home or an ephemeral prompt. */
export function createDisconnectAction(deps: ConnectionActionDeps) {
  return async ({ ack, body, action, client, respond, logger }: ButtonArgs) => {
    await ack();
    // Detached: Slack's 200 goes out now, not after the Composio round trips below.
    afterAck(logger, 'disconnect', removeAndAnswer);

    async function removeAndAnswer(): Promise<void> {
      const toolkit = action.value ?? 'confluence';
      try {
        const composioUserId = await deps.composioUserIdOf(teamOf(body), body.user.id);
        const removed = await deps.connections.disconnect(composioUserId, toolkit);
        if (body.view?.type === 'home') {
          await client.views.publish({
            user_id: body.user.id,
            view: homeView(composioUserId, await deps.connections.status(composioUserId)),
          });
          return;
        }
        await respond({
          replace_original: true,
          text: removed
            ? `Your ${toolkit} connection was removed.`
            : `You had no ${toolkit} connection to remove.`,
        });
      } catch (err) {
        logger.error(`disconnect failed: ${(err as Error).message}`);
        if (body.view?.type !== 'home')
          await respond({ replace_original: false, text: userMessageFor(err) }).catch(() => {});
      }
    }
  };
}

/** Connect from the App Home: the link goes to the user's DM with the app (private). */
export function createHomeConnectAction(deps: ConnectionActionDeps) {
  return async ({ ack, body, action, client, logger }: ButtonArgs) => {
    await ack();
    // Detached: Slack's 200 goes out now, not after the Composio round trips below.
    afterAck(logger, 'home connect', sendLink);

    async function sendLink(): Promise<void> {
      const toolkit = action.value ?? 'confluence';
      const composioUserId = await deps.composioUserIdOf(teamOf(body), body.user.id);
      const link = await deps.connections.connect(composioUserId, toolkit);
      const message = link
        ? connectBlocks(toolkit, link.redirectUrl)
        : { text: `Your ${toolkit} account is already connected.`, blocks: [] };
      await client.chat.postMessage({ channel: body.user.id, ...message });
    }
  };
}
