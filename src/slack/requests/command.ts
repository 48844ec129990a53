import type { TurnRequest } from '../../turns/turn-request.js';

/** The fields of a slash command payload that a request needs. */
export interface CommandPayload {
  trigger_id: string;
  team_id: string;
  user_id: string;
  channel_id: string;
  response_url: string;
}

/**
 * Maps a `/confluence <request>` to a turn request. Its thread does not exist yet: the worker
 * posts the root message quoting the request, and the turn then lives in that thread; until
 * then the thread id is the request's own id, and replies go through the response_url.
 */
export function turnRequestFromCommand(
  command: CommandPayload,
  text: string,
  receivedAt = Date.now(),
): TurnRequest {
  const id = `cmd-${command.trigger_id}`;
  return {
    id,
    source: 'command',
    teamId: command.team_id,
    userId: command.user_id,
    text,
    threadContext: 'none',
    channel: command.channel_id,
    threadTs: id,
    messageTs: id,
    announce: { text, where: 'new_thread' },
    responseUrl: command.response_url,
    receivedAt,
  };
}
