import type { KnownBlock } from '@slack/web-api';

/** Action id of the button that confirms a disconnect. */
export const DISCONNECT_ACTION = 'disconnect_confirm';

/** An ephemeral prompt asking the user to confirm removing their connection. */
export function disconnectPrompt(toolkit: string): { text: string; blocks: KnownBlock[] } {
  const name = toolkit.charAt(0).toUpperCase() + toolkit.slice(1);
  const text = `Disconnect your ${name} account? I won't be able to act for you in ${name} until you connect again.`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text },
        accessory: {
          type: 'button',
          action_id: DISCONNECT_ACTION,
          style: 'danger',
          value: toolkit,
          text: { type: 'plain_text', text: `Disconnect ${name}` },
          confirm: {
            title: { type: 'plain_text', text: 'Are you sure?' },
            text: { type: 'mrkdwn', text: `This removes your ${name} connection.` },
            confirm: { type: 'plain_text', text: 'Disconnect' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
      },
    ],
  };
}
