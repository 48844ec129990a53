/** A local fake of Composio (REST API, Tool Router MCP server, in-memory Confluence) on loopback. */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServedListener, ServedLog } from '../fake-served.js';
import { type AccountStatus, AccountStore } from './accounts.js';
import { ConfluenceEmulator } from './confluence.js';
import {
  BadJsonError,
  composioError,
  header,
  jsonRpcError,
  readJson,
  sendJson,
  sleep,
} from './http.js';
import { McpRouter } from './mcp.js';
import { handleRest } from './rest.js';
import type { FakeState } from './state.js';

export type { AccountStatus } from './accounts.js';
/** Confluence emulator types and class, re-exported for tests. */
export type { ConfluenceCall, SiteView, ToolResult } from './confluence.js';
export { ConfluenceEmulator } from './confluence.js';

/** A running fake Composio. */
export interface FakeComposio {
  /** Base URL, `http://127.0.0.1:<port>`: pass as `baseURL` to `new Composio`. */
  url: string;
  /** The only key accepted in `x-api-key`; any other gets 401. */
  apiKey: string;
  /** The Confluence behind the `confluence` toolkit (one site per user id). */
  confluence: ConfluenceEmulator;
  /** Every REST request (path includes the query string). */
  restCalls: Array<{ method: string; path: string; body: unknown }>;
  /** Every JSON-RPC message POSTed to a session MCP endpoint (sessionId is the `trs_…` id). */
  mcpCalls: Array<{ sessionId: string; method: string; tool?: string; args?: unknown }>;
  /** Sessions whose client opened the optional standalone SSE stream (GET), once per open. */
  mcpStreams: string[];
  /** Resolves on the first MCP message (past or future) matching `predicate`. */
  waitForMcpCall(
    predicate: (c: { sessionId: string; method: string; tool?: string; args?: unknown }) => boolean,
    timeoutMs?: number,
  ): Promise<{ sessionId: string; method: string; tool?: string; args?: unknown }>;
  /** Tool router sessions created so far. */
  sessions(): Array<{ id: string; userId: string }>;
  /** Marks the user's Confluence connection ACTIVE (completing their newest pending link). */
  connect(userId: string): void;
  /** Removes the user's Confluence connections. */
  disconnect(userId: string): void;
  /** Whether the user has an ACTIVE Confluence connection. */
  isConnected(userId: string): boolean;
  /** Completes a Connect Link by its `lk_…` token (the last path segment of its redirect_url). */
  completeLink(linkToken: string): void;
  /** All Connect Links issued (by session.authorize or COMPOSIO_MANAGE_CONNECTIONS). */
  links(): Array<{ linkToken: string; userId: string; redirectUrl: string; status: AccountStatus }>;
  /** Expires a session: later REST and MCP requests for it answer 404. */
  expireSession(sessionId: string): void;
  /** Fails the next REST request / MCP POST with `status` (and `x-should-retry: false`). */
  failNext(kind: 'rest' | 'mcp', status: number): void;
  /** Delays every MCP tools/call by `ms` (0 resets). */
  setToolDelay(ms: number): void;
  /**
   * Pages tools/list `n` tools at a time (with an opaque `nextCursor`) in MCP sessions
   * initialized after the call; 0 (the default) answers the whole list in one page.
   */
  pageToolsBy(n: number): void;
  /** Delays every REST answer and every MCP POST (the network round trip) by ms; 0 resets. */
  setLatency(latency: { rest?: number; mcp?: number }): void;
  /** Calls `listener` for every exchange served (detail: `{ kind, rpc }`); returns an unsubscribe. */
  onServed(listener: ServedListener): () => void;
  /** Stops the server and closes all MCP sessions. */
  close(): Promise<void>;
}

const NO_RETRY = { 'x-should-retry': 'false' };

/** Starts a fake Composio on 127.0.0.1 with a random port. */
export async function startFakeComposio(opts: { apiKey?: string } = {}): Promise<FakeComposio> {
  const mcpEvents = new EventEmitter();
  const state: FakeState = {
    apiKey: opts.apiKey ?? 'fake-composio-key',
    origin: '',
    sessions: new Map(),
    accounts: new AccountStore(),
    confluence: new ConfluenceEmulator(),
    restCalls: [],
    mcpCalls: [],
    mcpStreams: [],
    failures: { rest: [], mcp: [] },
    toolDelayMs: 0,
    toolsPageSize: 0,
  };
  const router = new McpRouter(state);
  const served = new ServedLog('composio');
  const latency = { rest: 0, mcp: 0 };

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    exchange: { detail?: unknown } = {},
  ): Promise<void> {
    const url = new URL(req.url ?? '/', state.origin);
    const method = req.method ?? 'GET';
    const mcp = /^\/tool_router\/([^/]+)\/mcp\/?$/.exec(url.pathname);
    let body: unknown;
    try {
      body = method === 'POST' || method === 'PATCH' ? await readJson(req) : undefined;
    } catch (error) {
      if (!(error instanceof BadJsonError)) throw error;
      const reply = mcp ? jsonRpcError(-32700, 'Parse error') : composioError(400, error.message);
      sendJson(res, 400, reply);
      return;
    }
    const authorised = header(req, 'x-api-key') === state.apiKey;
    if (mcp) {
      const sessionId = mcp[1]!;
      for (const msg of Array.isArray(body) ? body : [body]) {
        if (!msg || typeof msg.method !== 'string') continue;
        const call =
          msg.method === 'tools/call'
            ? { tool: msg.params?.name, args: msg.params?.arguments }
            : {};
        state.mcpCalls.push({ sessionId, method: msg.method, ...call });
        mcpEvents.emit('call', state.mcpCalls.at(-1));
      }
      if (method === 'GET') state.mcpStreams.push(sessionId);
      const rpc = (Array.isArray(body) ? body : [body]).map((m) => m?.method);
      exchange.detail = { kind: 'mcp', rpc };
      if (method === 'POST') await sleep(latency.mcp);
      const session = state.sessions.get(sessionId);
      if (!authorised)
        return sendJson(res, 401, jsonRpcError(-32001, 'Unauthorized: invalid x-api-key'));
      if (!session || session.expired)
        return sendJson(res, 404, jsonRpcError(-32001, 'Session not found'));
      const status = method === 'POST' ? state.failures.mcp.shift() : undefined;
      if (status)
        return sendJson(res, status, jsonRpcError(-32603, `Injected failure ${status}`), NO_RETRY);
      return router.handle(req, res, session, body);
    }
    state.restCalls.push({ method, path: url.pathname + url.search, body });
    exchange.detail = { kind: 'rest' };
    await sleep(latency.rest);
    if (!authorised)
      return sendJson(res, 401, composioError(401, 'Invalid API key', 'Unauthorized'));
    const status = state.failures.rest.shift();
    if (status)
      return sendJson(res, status, composioError(status, `Injected failure ${status}`), NO_RETRY);
    const reply = await handleRest(state, method, url, body);
    sendJson(res, reply.status, reply.body);
  }

  const server = createServer((req, res) => {
    handle(req, res, served.begin(req, res)).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      sendJson(res, 500, composioError(500, String(error)), NO_RETRY);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: state.origin,
    apiKey: state.apiKey,
    confluence: state.confluence,
    restCalls: state.restCalls,
    mcpCalls: state.mcpCalls,
    mcpStreams: state.mcpStreams,
    waitForMcpCall(predicate, timeoutMs = 5_000) {
      const seen = state.mcpCalls.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const onCall = (c: (typeof state.mcpCalls)[number]) => {
          if (!predicate(c)) return;
          clearTimeout(timer);
          mcpEvents.off('call', onCall);
          resolve(c);
        };
        const timer = setTimeout(() => {
          mcpEvents.off('call', onCall);
          reject(new Error(`fake-composio: no matching MCP call within ${timeoutMs} ms`));
        }, timeoutMs);
        mcpEvents.on('call', onCall);
      });
    },
    sessions: () => [...state.sessions.values()].map(({ id, userId }) => ({ id, userId })),
    connect: (userId) => void state.accounts.connect(userId),
    disconnect: (userId) => state.accounts.disconnect(userId),
    isConnected: (userId) => state.accounts.active(userId) !== undefined,
    completeLink: (linkToken) => void state.accounts.completeLink(linkToken),
    links: () => state.accounts.links(),
    expireSession: (sessionId) => {
      const session = state.sessions.get(sessionId);
      if (!session) throw new Error(`fake-composio: unknown session ${sessionId}`);
      session.expired = true;
    },
    failNext: (kind, status) => void state.failures[kind].push(status),
    setToolDelay: (ms) => {
      state.toolDelayMs = ms;
    },
    pageToolsBy: (n) => {
      if (!Number.isInteger(n) || n < 0) throw new Error(`fake-composio: bad page size ${n}`);
      state.toolsPageSize = n;
    },
    setLatency: (next) => {
      latency.rest = next.rest ?? latency.rest;
      latency.mcp = next.mcp ?? latency.mcp;
    },
    onServed: (listener) => served.on(listener),
    close: async () => {
      await router.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
