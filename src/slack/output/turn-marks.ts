import type { MessageMetadata, WebClient } from '@slack/web-api';
import { REPLIES_PAGE_SIZE } from '../reads/thread-reader.js';

/**
 * The `event_type` of the message metadata on everything the bot posts for a turn. Metadata
 * (docs.slack.dev/messaging/message-metadata) is the app's own: it does not change with the
 * text's conversion to Slack markup, so a resumed turn finds what an earlier run posted by it.
 */
export const TURN_EVENT = 'confluence_agent_turn';

/** What a marked message is to its turn. */
export type MarkKind = 'root' | 'note' | 'answer' | 'approval';

/** A resumed turn's posts are among the newest: this many pages of messages is plenty. */
const MAX_PAGES = 5;

/** The metadata marking part `part` of a turn's `kind` of message. */
export function turnMark(turnId: string, kind: MarkKind, part = 0): MessageMetadata {
  return { event_type: TURN_EVENT, event_payload: { turn_id: turnId, kind, part } };
}

/** Where to look for a turn's marked messages: a thread's replies, or a channel's top level. */
export type MarkScope =
  | { channel: string; threadTs: string; oldest?: string }
  | { channel: string; oldest: string };

/**
 * The turn's messages of `kind` already in Slack, by part number → ts. Reads with
 * `include_all_metadata` (without it Slack leaves metadata out), newest pages bounded.
 */
export async function findMarked(
  client: WebClient,
  scope: MarkScope,
  turnId: string,
  kind: MarkKind,
): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const common = {
      channel: scope.channel,
      oldest: scope.oldest,
      cursor,
      limit: REPLIES_PAGE_SIZE,
      include_all_metadata: true,
    };
    const res =
      'threadTs' in scope
        ? await client.conversations.replies({ ...common, ts: scope.threadTs })
        : await client.conversations.history(common);
    for (const m of res.messages ?? []) {
      const meta = m.metadata as MessageMetadata | undefined;
      const payload = meta?.event_payload;
      if (meta?.event_type !== TURN_EVENT || payload?.turn_id !== turnId || payload.kind !== kind)
        continue;
      if (m.ts) found.set(Number(payload.part ?? 0), m.ts);
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return found;
}
