import type { HomeView, KnownBlock } from '@slack/web-api';
import type { ConnectionStatus } from '../../composio/connections.js';
import { DISCONNECT_ACTION } from './disconnect-blocks.js';

/** Action id of the App Home's Connect button (the link is sent by DM when clicked). */
export const HOME_CONNECT_ACTION = 'home_connect';

/** Example requests shown in the App Home and the Messages tab greeting. */
export const EXAMPLE_REQUESTS = [
  'Create a page titled "Launch Plan" in the MKT space',
  'Add the label urgent to the page "Q3 planning"',
  'Publish a blog post with the summary of this meeting: …',
  'Create a private space for product roadmap drafts',
  'Find pages about onboarding updated this month',
];

/** A toolkit's name as people read it (`confluence` → `Confluence`). */
export const toolkitTitle = (toolkit: string) => toolkit.charAt(0).toUpperCase() + toolkit.slice(1);

/**
 * The App Home tab: connection state, a Connect or Disconnect button, and example requests;
 * `notice` (e.g. a Disconnect that failed) is shown above the connection state.
 */
export function homeView(
  composioUserId: string,
  states: ConnectionStatus[],
  notice?: string,
  /** The person's channel subscriptions, as text (empty: none, no block). */
  owned = '',
): HomeView {
  const stateBlocks: KnownBlock[] = states.map((s) => {
    const name = toolkitTitle(s.toolkit);
    return {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${name}*: ${s.connected ? 'connected :white_check_mark:' : 'not connected'}`,
      },
      accessory: s.connected
        ? {
            type: 'button',
            action_id: DISCONNECT_ACTION,
            value: s.toolkit,
            style: 'danger',
            text: { type: 'plain_text', text: 'Disconnect' },
            confirm: {
              title: { type: 'plain_text', text: 'Disconnect?' },
              text: { type: 'mrkdwn', text: `This removes your ${name} connection.` },
              confirm: { type: 'plain_text', text: 'Disconnect' },
              deny: { type: 'plain_text', text: 'Cancel' },
            },
          }
        : {
            type: 'button',
            action_id: HOME_CONNECT_ACTION,
            value: s.toolkit,
            style: 'primary',
            text: { type: 'plain_text', text: `Connect ${name}` },
          },
    };
  });
  return homeLayout([
    ...noticeBlocks(notice),
    ...stateBlocks,
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Your Composio user id: \`${composioUserId}\`` }],
    },
    ...(owned
      ? [{ type: 'section', text: { type: 'mrkdwn', text: owned.slice(0, 3000) } } as KnownBlock]
      : []),
  ]);
}

/**
 * The App Home when the connection state could not be checked (Composio, the store or the
 * user's identity failed): no button that would act on a state we do not know, and `notice`
 * saying what happened and what to do.
 */
export function homeUnavailableView(toolkits: string[], notice: string): HomeView {
  return homeLayout([
    ...noticeBlocks(notice),
    ...toolkits.map(
      (toolkit): KnownBlock => ({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${toolkitTitle(toolkit)}*: couldn't check the connection right now`,
        },
      }),
    ),
  ]);
}

const noticeBlocks = (notice: string | undefined): KnownBlock[] =>
  notice ? [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${notice}` } }] : [];

/** The header and introduction, `middle` (the connection part), then the example requests. */
function homeLayout(middle: KnownBlock[]): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Confluence Agent' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Work with Confluence in plain language: mention me in a channel, message me here, use `/confluence`, or the message shortcut *Summarise to Confluence*.',
        },
      },
      { type: 'divider' },
      ...middle,
      { type: 'divider' },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*Try asking:*\n${EXAMPLE_REQUESTS.map((e) => `• ${e}`).join('\n')}`,
        },
      },
    ],
  };
}
