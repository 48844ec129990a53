import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import type { TurnRequest } from '../../../turns/turn-request.js';

/**
 * Queues a message's request as a turn (before the event's ack). Its files travel as
 * references; the turn says what it cannot take (files too many, too big, or of a kind it
 * cannot read) before any of them is fetched.
 */
export async function submitMessageTurn(
  request: TurnRequest,
  slack: { dispatcher: TurnDispatcher },
): Promise<void> {
  await slack.dispatcher.submit({ kind: 'turn', request });
}
