import type { WebClient } from '@slack/web-api';
import type { PendingApproval } from '../agent/run-agent.js';
import type { Logger } from '../logger.js';
import type { TurnOutput } from '../turns/turn-output.js';
import type { TurnRequest } from '../turns/turn-request.js';
import { approvalBlocks } from './approval-blocks.js';
import { statusText } from './status-text.js';
import { postThreadReply } from './thread-replier.js';

/** TurnOutput over the Slack Web API: status, answers, approvals and private connect links. */
export function createSlackTurnOutput(client: WebClient, logger: Logger): TurnOutput {
  const target = (r: TurnRequest) => ({ channel: r.channel, threadTs: r.threadTs });
  return {
    async status(request, slugs) {
      try {
        await client.assistant.threads.setStatus({
          channel_id: request.channel,
          thread_ts: request.threadTs,
          status: statusText(slugs),
        });
      } catch (err) {
        // Not every conversation supports a thread status; the answer still arrives.
        logger.debug({ err: { message: (err as Error).message } }, 'thread status not shown');
      }
    },
    async streamText() {},
    async answer(request, markdown) {
      await postThreadReply(client, target(request), markdown);
    },
    async askApproval(request, approvals: PendingApproval[]) {
      await client.chat.postMessage({
        channel: request.channel,
        thread_ts: request.threadTs,
        text: `<@${request.userId}>, I need your approval before I go on.`,
        blocks: approvalBlocks(request, approvals),
      });
    },
    async connectLink(request, toolkit, url) {
      const name = toolkit.charAt(0).toUpperCase() + toolkit.slice(1);
      await client.chat.postEphemeral({
        channel: request.channel,
        user: request.userId,
        thread_ts: request.threadTs,
        text: `Connect your ${name} account to continue: ${url}`,
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `To work with ${name} as you, I need your permission. This link is only for you: don't share it. When you're done, ask me again.`,
            },
            accessory: {
              type: 'button',
              action_id: 'connect_link',
              text: { type: 'plain_text', text: `Connect ${name}` },
              url,
              style: 'primary',
            },
          },
        ],
      });
    },
  };
}
