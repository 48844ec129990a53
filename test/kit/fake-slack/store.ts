import type { FakeFile } from './files.js';
import type {
  Args,
  EphemeralMessage,
  FakeChannel,
  FakeIdentity,
  FakeUser,
  PostedMessage,
  UnfurlPrompt,
} from './types.js';

/** Everything the fake workspace holds: messages, users, channels, views, statuses, reactions. */
export class SlackStore {
  readonly messages: PostedMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly views = new Map<string, Args>();
  readonly statuses = new Map<string, string>();
  readonly reactionsByMessage = new Map<string, Array<{ name: string; user: string }>>();
  /** Uploaded files by id (see FakeSlack.addFile). */
  readonly files = new Map<string, FakeFile>();
  /** The messages link_shared events named by unfurl_id. */
  readonly unfurlIds = new Map<string, { channel: string; ts: string }>();
  readonly unfurlPrompts: UnfurlPrompt[] = [];
  /** The same messages by channel, so lookups stay cheap in long benchmark runs. */
  private readonly byChannel = new Map<string, PostedMessage[]>();
  private lastMicros = 0;
  private idCounter = 0;

  constructor(readonly identity: FakeIdentity) {
    this.users.set(identity.botUserId, {
      id: identity.botUserId,
      name: 'fakebot',
      real_name: 'Fake Bot',
      team_id: identity.teamId,
      is_bot: true,
      bot_id: identity.botId,
    });
  }

  /** A fresh message ts ('<seconds>.<6-digit micros>'), strictly increasing and never behind the clock. */
  nextTs(): string {
    this.lastMicros = Math.max(this.lastMicros + 100, Date.now() * 1000);
    const seconds = Math.floor(this.lastMicros / 1_000_000);
    const micros = this.lastMicros % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  }

  /** A fresh id with the given prefix, e.g. V0000001. */
  nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}${String(this.idCounter).padStart(7, '0')}`;
  }

  /** Stores a message under a fresh ts. */
  insert(m: Omit<PostedMessage, 'ts'>): PostedMessage {
    const message: PostedMessage = { ...m, ts: this.nextTs() };
    for (const key of Object.keys(message) as Array<keyof PostedMessage>) {
      if (message[key] === undefined) delete message[key];
    }
    this.messages.push(message);
    const list = this.byChannel.get(message.channel);
    if (list) list.push(message);
    else this.byChannel.set(message.channel, [message]);
    // Slack clears an assistant thread status as soon as the app replies in that thread.
    if (message.thread_ts && message.user === this.identity.botUserId) {
      this.statuses.delete(statusKey(message.channel, message.thread_ts));
    }
    return message;
  }

  /** The stored message with this ts, if any. */
  find(channel: string, ts: string): PostedMessage | undefined {
    return this.of(channel).findLast((m) => m.ts === ts);
  }

  /** Removes a message; true if it was there. */
  remove(channel: string, ts: string): boolean {
    const index = this.messages.findIndex((m) => m.channel === channel && m.ts === ts);
    if (index >= 0) this.messages.splice(index, 1);
    const list = this.of(channel);
    const inList = list.findIndex((m) => m.ts === ts);
    if (inList >= 0) list.splice(inList, 1);
    return index >= 0;
  }

  /** A thread's root (if stored) and replies, ordered by ts. */
  thread(channel: string, rootTs: string): PostedMessage[] {
    return this.of(channel)
      .filter((m) => m.ts === rootTs || m.thread_ts === rootTs)
      .sort(byTs);
  }

  /** Every message of a channel (top-level and replies), ordered by ts. */
  inChannel(channel: string): PostedMessage[] {
    return [...this.of(channel)].sort(byTs);
  }

  /** The known or synthesised conversation for an id (C…, G…, D…), or undefined. */
  channel(id: string): FakeChannel | undefined {
    const known = this.channels.get(id);
    if (known) return known;
    if (this.of(id).length > 0 || /^[CGD][A-Z0-9]+$/.test(id)) {
      return { id, is_im: id.startsWith('D'), is_private: id.startsWith('G') };
    }
    return undefined;
  }

  /** The messages of one channel, in insertion order (the index's own array: do not change it). */
  private of(channel: string): PostedMessage[] {
    return this.byChannel.get(channel) ?? [];
  }

  /**
   * The message as the Web API renders it (thread fields included). Its message metadata only
   * when asked for: conversations.history/replies return it with `include_all_metadata`.
   */
  render(m: PostedMessage, options: { metadata?: boolean } = {}): Args {
    const out: Args = { type: 'message', user: m.user, text: m.text ?? '', ts: m.ts };
    if (m.bot_id) Object.assign(out, { bot_id: m.bot_id, app_id: 'A0FAKEAPP' });
    if (m.blocks) out.blocks = m.blocks;
    if (options.metadata && m.metadata) out.metadata = m.metadata;
    out.team = this.identity.teamId;
    if (m.edited) out.edited = { user: m.user, ts: m.ts };
    if (m.streaming !== undefined) out.streaming_state = m.streaming ? 'in_progress' : 'completed';
    const replyList = this.of(m.channel).filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
    if (replyList.length > 0) {
      const latest = replyList.sort(byTs).at(-1);
      Object.assign(out, {
        thread_ts: m.ts,
        reply_count: replyList.length,
        reply_users: [...new Set(replyList.map((r) => r.user))],
        latest_reply: latest?.ts,
      });
    } else if (m.thread_ts && m.thread_ts !== m.ts) {
      out.thread_ts = m.thread_ts;
      const parent = this.find(m.channel, m.thread_ts);
      if (parent) out.parent_user_id = parent.user;
    }
    return out;
  }
}

/** The statuses map key of a thread. */
export function statusKey(channel: string, threadTs: string): string {
  return `${channel}/${threadTs}`;
}

function byTs(a: PostedMessage, b: PostedMessage): number {
  if (a.ts === b.ts) return 0;
  return a.ts.length - b.ts.length || (a.ts < b.ts ? -1 : 1);
}
