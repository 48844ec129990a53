import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { HomeView } from '@slack/web-api';
import type { ConnectionService } from '../../../composio/connections.js';
import { CodedError, userMessageFor } from '../../../errors.js';
import type { Subscriptions } from '../../../subscriptions/subscriptions.js';
import { EXAMPLE_REQUESTS, homeUnavailableView, homeView } from '../../blocks/home-view.js';
import { afterAck } from '../../plumbing/after-ack.js';
import { ownedSubscriptionsText } from '../../text/subscription-text.js';

/** What the App Home listener needs. */
export interface HomeDeps {
  connections: ConnectionService;
  /** The toolkit shown when its connection state could not be checked. */
  toolkit: string;
  composioUserIdOf(teamId: string, userId: string): Promise<string>;
  /** True the first time it is called for a user (the Messages tab greeting is sent once). */
  firstVisit(teamId: string, userId: string): Promise<boolean>;
  /** The channel subscriptions the person owns are listed in their Home. */
  subscriptions: Pick<Subscriptions, 'ownedBy'>;
}

/**
 * Publishes the App Home; greets a user the first time they open the Messages tab. Both run
 * detached: the event's ack (its HTTP 200, or its Socket Mode ack) never waits on Composio.
 */
export function createAppHomeOpenedListener(deps: HomeDeps) {
  return async ({
    event,
    body,
    context,
    client,
    logger,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    const teamId = context.teamId ?? body.team_id;
    if (event.tab === 'messages') return afterAck(logger, 'messages tab greeting', greet);
    afterAck(logger, 'app home', publishHome);

    async function greet(): Promise<void> {
      if (!(await deps.firstVisit(teamId, event.user))) {
        logger.debug('messages tab opened again: already greeted');
        return;
      }
      await client.chat.postMessage({
        channel: event.channel,
        text: "Hi! I'm Confluence Agent. Tell me what you need in Confluence.",
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: "Hi! I'm *Confluence Agent*. Tell me what you need in Confluence, in your own words. For example:",
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: EXAMPLE_REQUESTS.slice(0, 4)
                .map((e) => `• _${e}_`)
                .join('\n'),
            },
          },
        ],
      });
    }

    async function publishHome(): Promise<void> {
      let view: HomeView;
      try {
        const composioUserId = await deps.composioUserIdOf(teamId, event.user);
        const [states, owned] = await Promise.all([
          deps.connections.status(composioUserId),
          deps.subscriptions.ownedBy(teamId, event.user),
        ]);
        view = homeView(composioUserId, states, undefined, ownedSubscriptionsText(owned));
      } catch (err) {
        // Composio, the store or the e-mail identity failed: the Home says so instead of nothing.
        logger.error(`app home status check failed: ${(err as Error).message}`);
        view = homeUnavailableView([deps.toolkit], unavailableNotice(err));
      }
      await client.views.publish({ user_id: event.user, view });
    }
  };
}

/** Why the Home could not show the connection state, and what the user can do. */
function unavailableNotice(err: unknown): string {
  if (err instanceof CodedError && err.code === 'identity_email_unavailable')
    return userMessageFor(err);
  return "I couldn't check your connection status right now. Please open this tab again in a minute.";
}
