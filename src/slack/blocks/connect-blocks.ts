import type { KnownBlock } from '@slack/web-api';

/** Action id of the Connect button (a link button; its click only needs an ack). */
export const CONNECT_ACTION = 'connect_link';

/** A private message with a Connect button for one toolkit. */
export function connectBlocks(
  toolkit: string,
  url: string,
): { text: string; blocks: KnownBlock[] } {
  const name = toolkit.charAt(0).toUpperCase() + toolkit.slice(1);
  return {
    text: `Connect your ${name} account to continue: ${url}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `To work with ${name} as you, I need your permission. This link is only for you, so don't share it. When you're done, ask me again.`,
        },
        accessory: {
          type: 'button',
          action_id: CONNECT_ACTION,
          text: { type: 'plain_text', text: `Connect ${name}` },
          url,
          style: 'primary',
        },
      },
    ],
  };
}
