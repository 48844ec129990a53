import type { WebClient } from '@slack/web-api';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import type { TurnRequest } from '../../../turns/turn-request.js';

/** The reply to a message that holds only files, which the agent cannot read. */
export const FILES_ONLY_REPLY =
  "I can't read attached files yet. Tell me in words what you'd like me to do in Confluence.";

/**
 * Queues a message's request as a turn (before the event's ack); a message with files and no
 * words gets a reply in its thread instead, since the agent cannot read files.
 */
export async function submitMessageTurn(
  request: TurnRequest,
  files: unknown[] | undefined,
  slack: { client: WebClient; dispatcher: TurnDispatcher },
): Promise<void> {
  if (!request.text && files?.length) {
    await slack.client.chat.postMessage({
      channel: request.channel,
      thread_ts: request.threadTs,
      text: FILES_ONLY_REPLY,
    });
    return;
  }
  await slack.dispatcher.submit({ kind: 'turn', request });
}
