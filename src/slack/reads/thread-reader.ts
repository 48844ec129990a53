import type { WebClient } from '@slack/web-api';
import type { ThreadContextSource, ThreadMessage } from '../../turns/thread-context.js';
import type { UserNames } from './user-names.js';

interface SlackMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  username?: string;
  files?: unknown[];
}

// Messages that are not somebody saying something.
const SKIPPED_SUBTYPES = new Set([
  'channel_join',
  'channel_leave',
  'group_join',
  'group_leave',
  'message_deleted',
]);
/**
 * Slack's recommended largest page for conversations.replies.
 * https://docs.slack.dev/reference/methods/conversations.replies
 */
export const REPLIES_PAGE_SIZE = 200;
// 10,000 messages: far more than the context the agent keeps; only bounds a runaway thread.
const MAX_PAGES = 50;

const tsNumber = (ts: string) => Number(ts);
const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** Replaces `<@U…>` mentions with `@display name`, so the agent can credit people by name. */
async function withDisplayNames(text: string, names: UserNames): Promise<string> {
  const ids = [...new Set([...text.matchAll(USER_MENTION)].map((m) => m[1]!))];
  const named = new Map(
    await Promise.all(ids.map(async (id) => [id, await names.nameOf(id)] as const)),
  );
  return text.replace(USER_MENTION, (_m, id: string) => `@${named.get(id) ?? id}`);
}

/** Reads a thread's messages with `conversations.replies` (every page), authors by display name. */
export function createThreadReader(client: WebClient, names: UserNames): ThreadContextSource {
  let self: Promise<{ userId?: string; botId?: string }> | undefined;
  /**
   * The bot's own ids, asked once and kept. A failed lookup is not kept: that one read goes on
   * without them (the bot's messages then read as anyone's), and the next read asks again.
   */
  const whoAmI = async (): Promise<{ userId?: string; botId?: string }> => {
    self ??= client.auth.test().then((r) => ({ userId: r.user_id, botId: r.bot_id }));
    const asking = self;
    try {
      return await asking;
    } catch {
      if (self === asking) self = undefined;
      return {};
    }
  };
  return {
    async read(request, afterTs) {
      const me = await whoAmI();
      const wholeThread = request.threadContext === 'whole_thread';
      const found: SlackMessage[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await client.conversations.replies({
          channel: request.channel,
          ts: request.threadTs,
          cursor,
          limit: REPLIES_PAGE_SIZE,
        });
        found.push(...((res.messages ?? []) as SlackMessage[]));
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      const picked = found.filter((m) => {
        if (!m.ts || (m.subtype && SKIPPED_SUBTYPES.has(m.subtype))) return false;
        if ((me.userId && m.user === me.userId) || (me.botId && m.bot_id === me.botId))
          return false;
        if (afterTs && tsNumber(m.ts) <= tsNumber(afterTs)) return false;
        // Newer messages wait for their own turns; the shortcut reads the whole thread.
        return wholeThread || tsNumber(m.ts) < tsNumber(request.messageTs);
      });
      const out: ThreadMessage[] = [];
      for (const m of picked) {
        const author = m.user ? await names.nameOf(m.user) : (m.username ?? 'a bot');
        const files = m.files?.length ? ` [${m.files.length} file(s) attached]` : '';
        const text = await withDisplayNames(m.text ?? '', names);
        out.push({ ts: m.ts!, author, text: `${text}${files}`.trim() });
      }
      return out;
    },
  };
}
