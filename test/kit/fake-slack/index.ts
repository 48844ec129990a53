import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServedLog } from '../fake-served.js';
import type { ApiContext } from './api.js';
import { chatMethods } from './chat-methods.js';
import { fileMethods, renderFile } from './files.js';
import { readMethods } from './read-methods.js';
import { brief, Recorder } from './recorder.js';
import { createListener, type Failure, type ServerState } from './server.js';
import { SlackStore, statusKey } from './store.js';
import { streamMethods } from './stream-methods.js';
import type {
  FakeSlack,
  FakeSlackOptions,
  PostedMessage,
  ResponsePost,
  SlackCall,
} from './types.js';
import { linkSharedEvent, unfurlMethods } from './unfurl-methods.js';
import { viewMethods } from './view-methods.js';

export { createSlackRequester, type SlackRequester, signSlackRequest } from './signer.js';
export type * from './types.js';

const DEFAULT_TIMEOUT_MS = 5_000;

/** What a person sees of a message: its blocks' text (or its text), or its streamed chunks. */
export function visibleText(m: PostedMessage): string {
  const fromBlocks = (m.blocks ?? [])
    .map((b) => {
      const block = b as { text?: string | { text?: string } };
      return typeof block.text === 'string' ? block.text : (block.text?.text ?? '');
    })
    .join('\n');
  const fromChunks = (m.chunks ?? [])
    .map((c) => {
      const chunk = c as { text?: string; markdown_text?: string };
      return chunk.text ?? chunk.markdown_text ?? '';
    })
    .join('');
  if (fromBlocks) return fromBlocks;
  return (m.edited ? m.text : fromChunks || m.text) ?? '';
}

function describeCall(call: SlackCall): string {
  const outcome = call.result?.ok ? 'ok' : `error=${call.result?.error}`;
  const http = call.status === 200 ? '' : ` HTTP ${call.status}`;
  return `${call.method} → ${outcome}${http} ${brief(call.args, 160)}`;
}

/** Starts a fake Slack Web API (plus response_url sink) on 127.0.0.1 at a random port. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const identity = {
    botToken: opts.botToken ?? 'xoxb-test-0000000000-fake-bot-token',
    botUserId: opts.botUserId ?? 'U0BOT',
    botId: opts.botId ?? 'B0BOT',
    teamId: opts.teamId ?? 'T0TEAM',
  };
  const store = new SlackStore(identity);
  const calls = new Recorder<SlackCall>('calls', describeCall);
  const responses = new Recorder<ResponsePost>(
    'response_url posts',
    (r) => `${r.id}: ${brief(r.body, 160)}`,
  );
  const failures = new Map<string, Failure[]>();
  const ctx: ApiContext = {
    store,
    identity,
    origin: '',
    maxTextLength: opts.maxTextLength ?? 4_000,
    socketModeUrl: opts.socketModeUrl,
  };
  const handlers = {
    ...chatMethods,
    ...streamMethods,
    ...readMethods,
    ...viewMethods,
    ...fileMethods,
    ...unfurlMethods,
  };
  const served = new ServedLog('slack');
  const state: ServerState = {
    ctx,
    handlers,
    calls,
    responses,
    failures,
    served,
    holds: [],
    downloads: [],
  };
  const server = createServer(createListener(state));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  ctx.origin = origin;
  let responseIds = 0;

  return {
    ...identity,
    apiUrl: `${origin}/api/`,
    origin,
    calls: calls.items,
    ephemerals: store.ephemerals,
    responses: responses.items,
    callsTo: (method) => calls.items.filter((c) => c.method === method),
    waitFor: (method, predicate = () => true, timeoutMs = DEFAULT_TIMEOUT_MS) =>
      calls.waitFor((c) => c.method === method && predicate(c), timeoutMs, `${method} call`),
    waitForCall: (predicate, timeoutMs = DEFAULT_TIMEOUT_MS) =>
      calls.waitFor(predicate, timeoutMs, 'matching call'),
    visibleText,
    messages: (channel, threadTs) =>
      threadTs === undefined ? store.inChannel(channel) : store.thread(channel, threadTs),
    addMessage: (m) =>
      store.insert({
        channel: m.channel,
        user: m.user,
        text: m.text,
        thread_ts: m.thread_ts,
        bot_id: m.bot_id,
      }),
    addUser: (u) => {
      store.users.set(u.id, { ...u });
    },
    addFile: (f) => {
      const file = {
        id: store.nextId('F'),
        name: f.name,
        mimetype: f.mimetype,
        filetype: f.filetype,
        bytes: Buffer.from(f.bytes),
        user: f.user,
        created: Math.floor(Date.now() / 1000),
      };
      store.files.set(file.id, file);
      return renderFile(file, ctx, f.size);
    },
    fileDownloads: state.downloads,
    addChannel: (c) => {
      store.channels.set(c.id, { ...c });
    },
    threadStatus: (channel, threadTs) => store.statuses.get(statusKey(channel, threadTs)),
    linkShared: (message, domains, botIsMember) =>
      linkSharedEvent(ctx, message, domains, botIsMember),
    unfurlPrompts: store.unfurlPrompts,
    reactions: (channel, ts) =>
      (store.reactionsByMessage.get(`${channel}/${ts}`) ?? []).map((r) => r.name),
    failNext: (method, error, options = {}) => {
      const queue = failures.get(method) ?? [];
      queue.push({ error, ...options });
      failures.set(method, queue);
    },
    responseUrl: (id) => {
      responseIds += 1;
      return `${origin}/response/${encodeURIComponent(id ?? `R${responseIds}`)}`;
    },
    waitForResponse: (predicate = () => true, timeoutMs = DEFAULT_TIMEOUT_MS) =>
      responses.waitFor(predicate, timeoutMs, 'response_url post'),
    holdAnswer: (method, predicate = () => true, options = {}) => {
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const reached = new Promise<SlackCall>((reach) => {
        state.holds.push({ method, predicate, reached: reach, gate, before: options.before });
      });
      return { reached, release };
    },
    setLatency: (ms) => {
      state.latencyMs = ms;
    },
    onServed: (listener) => served.on(listener),
    close: async () => {
      calls.close();
      responses.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
