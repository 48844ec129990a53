import type { ServedListener } from '../fake-served.js';
import type { FileDownload } from './files.js';

/** A Web API argument bag: form values arrive as strings, nested values are parsed back from JSON. */
// biome-ignore lint/suspicious/noExplicitAny: Slack arguments are free-form JSON.
export type Args = Record<string, any>;

/** One Web API request the fake received (recorded after it was answered). */
export interface SlackCall {
  method: string;
  args: Args;
  token?: string;
  /** The JSON body the fake answered with. */
  result?: Args;
  /** The HTTP status the fake answered with. */
  status?: number;
}

/** A message as the fake holds it in a channel (bot posts, streams and seeded human messages). */
export interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  user: string;
  bot_id?: string;
  /** true while a chat.startStream message is open, false once stopped; absent for plain posts. */
  streaming?: boolean;
  /** Every chunk a stream received (markdown_text arguments appear as markdown_text chunks). */
  chunks?: unknown[];
  /** Set once chat.update edited the message. */
  edited?: boolean;
  /** Message metadata (`event_type`, `event_payload`) set by the poster. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Link previews chat.unfurl attached (URL → attachment), seen by everyone in the channel. */
  unfurls?: Record<string, unknown>;
}

/** chat.unfurl's `user_auth_required` prompt: only the poster of the message sees it. */
export interface UnfurlPrompt {
  channel: string;
  message_ts: string;
  /** The poster, its only viewer. */
  user: string;
  user_auth_url?: string;
  user_auth_message?: string;
}

/** A chat.postEphemeral message: only its recipient sees it, so it is not in any thread. */
export interface EphemeralMessage {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
}

/** A JSON body POSTed to one of the fake's response_url addresses. */
export interface ResponsePost {
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are free-form JSON.
  body: any;
}

/** A workspace member the fake knows (see addUser). */
export interface FakeUser {
  id: string;
  name?: string;
  real_name?: string;
  display_name?: string;
  email?: string;
  team_id?: string;
  is_bot?: boolean;
  bot_id?: string;
  /** Deactivated (left the workspace): users.info says `deleted: true`, as Slack's user object. */
  deleted?: boolean;
}

/** A conversation the fake knows (see addChannel); unknown C/G/D ids are synthesised. */
export interface FakeChannel {
  id: string;
  name?: string;
  is_im?: boolean;
  is_private?: boolean;
  /** The other member of a DM. */
  user?: string;
}

/** Who the fake thinks the bot is. */
export interface FakeIdentity {
  botToken: string;
  botUserId: string;
  botId: string;
  teamId: string;
}

/** Options for startFakeSlack. */
export interface FakeSlackOptions extends Partial<FakeIdentity> {
  /** Longest `text` chat.postMessage/update accept before `msg_too_long` (default 4,000, as Slack). */
  maxTextLength?: number;
  /** What apps.connections.open answers as the Socket Mode URL (default: ws://<fake origin>/socket-mode). */
  socketModeUrl?: string;
}

/** A running fake of the Slack Web API on 127.0.0.1. */
export interface FakeSlack extends FakeIdentity {
  /** 'http://127.0.0.1:<port>/api/' for slackApiUrl / SLACK_API_URL. */
  apiUrl: string;
  /** 'http://127.0.0.1:<port>'. */
  origin: string;
  calls: SlackCall[];
  ephemerals: EphemeralMessage[];
  responses: ResponsePost[];
  callsTo(method: string): SlackCall[];
  waitFor(
    method: string,
    predicate?: (c: SlackCall) => boolean,
    timeoutMs?: number,
  ): Promise<SlackCall>;
  /** Resolves on the first call of any method (past or future) matching `predicate`. */
  waitForCall(predicate: (c: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** What a person sees of a message (blocks, text or streamed chunks). */
  visibleText(m: PostedMessage): string;
  messages(channel: string, threadTs?: string): PostedMessage[];
  addMessage(m: {
    channel: string;
    user: string;
    text: string;
    thread_ts?: string;
    bot_id?: string;
  }): PostedMessage;
  addUser(u: FakeUser): void;
  /**
   * Uploads a file as `user`; returns its file object as message events carry it (`size`
   * claims another size than the bytes served, e.g. a 50 MB file without 50 MB of bytes).
   */
  addFile(f: {
    name: string;
    mimetype: string;
    filetype: string;
    bytes: Uint8Array;
    user: string;
    size?: number;
  }): Args;
  /** Every GET of a file's bytes, with its Authorization header and the status answered. */
  fileDownloads: FileDownload[];
  addChannel(c: FakeChannel): void;
  threadStatus(channel: string, threadTs: string): string | undefined;
  /**
   * The `link_shared` event Slack would send for a message in the fake: its links on
   * `domains` (the app's unfurl_domains), with an unfurl_id chat.unfurl can name;
   * `botIsMember` (default true) is its `is_bot_user_member`.
   */
  linkShared(message: PostedMessage, domains: readonly string[], botIsMember?: boolean): Args;
  /** chat.unfurl connect prompts, each seen only by its `user`. */
  unfurlPrompts: UnfurlPrompt[];
  reactions(channel: string, ts: string): string[];
  failNext(method: string, error: string, opts?: { status?: number; retryAfter?: number }): void;
  responseUrl(id?: string): string;
  waitForResponse(
    predicate?: (r: ResponsePost) => boolean,
    timeoutMs?: number,
  ): Promise<ResponsePost>;
  /**
   * Holds back the answer to the next call of `method` matching `predicate`, once: Slack has
   * carried the call out (a message is posted), but the caller hears nothing until `release()`.
   * A process killed meanwhile never learns that its post went through. With `before`, the
   * call is held before Slack carries it out: a process killed meanwhile never reached Slack.
   */
  holdAnswer(
    method: string,
    predicate?: (c: SlackCall) => boolean,
    options?: { before?: boolean },
  ): { reached: Promise<SlackCall>; release(): void };
  /** Delays every Web API answer by `ms` (0 resets): Slack's latency, for benchmarks. */
  setLatency(ms: number): void;
  /** Calls `listener` for every exchange served (its `detail` is the SlackCall); returns an unsubscribe. */
  onServed(listener: ServedListener): () => void;
  close(): Promise<void>;
}
