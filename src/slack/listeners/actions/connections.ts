import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/web-api';
import type { ConnectionService } from '../../../composio/connections.js';
import { CodedError, userMessageFor } from '../../../errors.js';
import { connectBlocks } from '../../blocks/connect-blocks.js';
import { homeUnavailableView, homeView, toolkitTitle } from '../../blocks/home-view.js';
import { afterAck } from '../../plumbing/after-ack.js';

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
      let removed: number | undefined;
      try {
        const composioUserId = await deps.composioUserIdOf(teamOf(body), body.user.id);
        removed = await deps.connections.disconnect(composioUserId, toolkit);
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
        if (body.view?.type === 'home') return homeAfterFailure(toolkit, removed !== undefined);
        await respond({ replace_original: false, text: userMessageFor(err) }).catch(() => {});
      }
    }

    /**
     * Publishes the Home again after a failure, saying what happened: the Disconnect failed (with
     * the state, if it can still be read), or it worked but the state could not be read after.
     */
    async function homeAfterFailure(toolkit: string, disconnected: boolean): Promise<void> {
      const name = toolkitTitle(toolkit);
      let view = homeUnavailableView(
        [toolkit],
        disconnected
          ? `Your ${name} connection was removed, but I couldn't check it afterwards. Open this tab again in a minute to see it.`
          : `I couldn't disconnect ${name} just now, nor check its state. Please open this tab again in a minute and try again.`,
      );
      if (!disconnected) {
        try {
          const composioUserId = await deps.composioUserIdOf(teamOf(body), body.user.id);
          const states = await deps.connections.status(composioUserId);
          view = homeView(
            composioUserId,
            states,
            `I couldn't disconnect ${name} just now. Please try again in a minute.`,
          );
        } catch (err) {
          logger.error(`home status check after a failed disconnect: ${(err as Error).message}`);
        }
      }
      await client.views.publish({ user_id: body.user.id, view });
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
      let message: { text: string; blocks: KnownBlock[] };
      try {
        const composioUserId = await deps.composioUserIdOf(teamOf(body), body.user.id);
        const link = await deps.connections.connect(composioUserId, toolkit);
        message = link
          ? connectBlocks(toolkit, link.redirectUrl)
          : { text: `Your ${toolkit} account is already connected.`, blocks: [] };
      } catch (err) {
        // The click came from the Home tab: the user hears why in their DM with the app.
        logger.error(`home connect failed: ${(err as Error).message}`);
        const name = toolkitTitle(toolkit);
        message = {
          // Only a refusal an admin must fix gets its own words; the rest is worth a retry.
          text:
            err instanceof CodedError && err.code === 'identity_email_unavailable'
              ? userMessageFor(err)
              : `I couldn't get a ${name} connect link just now. Please click *Connect ${name}* on my Home tab again in a minute.`,
          blocks: [],
        };
      }
      await client.chat.postMessage({ channel: body.user.id, ...message });
    }
  };
}
