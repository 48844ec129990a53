/** Idle MCP connections are closed (the MCP session ends on the server) and reopened on demand. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ComposioLike } from '../../src/composio/composio-like.js';
import {
  createSessionProvider,
  type SessionProvider,
} from '../../src/composio/composio-sessions.js';
import { createLogger } from '../../src/logger.js';
import { createKeys } from '../../src/store/keys.js';
import { createMemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { createStores } from '../../src/store/stores.js';
import { multi } from '../agent/scripted.js';
import { composioAgainst } from '../kit/composio-client.js';
import { guardLoopbackFetch } from '../kit/everything-server.js';
import { type FakeComposio, startFakeComposio } from '../kit/fake-composio/index.js';
import type { ServedExchange } from '../kit/fake-served.js';

const IDLE_MS = 50;
// Kept before any test fakes the clock: the wait below must time out on the real one.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const logger = createLogger({ level: 'silent' });
let fake: FakeComposio;
let composio: ComposioLike;
let fetchGuard: ReturnType<typeof guardLoopbackFetch>;
let provider: SessionProvider | undefined;
const served: ServedExchange[] = [];

const sessionsOf = (u: string) => fake.sessions().filter((s) => s.userId === u);
const initializes = (ids: string[]) =>
  fake.mcpCalls.filter((c) => c.method === 'initialize' && ids.includes(c.sessionId)).length;
const mcpPath = (sessionId: string) => `/tool_router/${sessionId}/mcp`;
/** MCP sessions the client ended on the server (Streamable HTTP DELETE) for a Tool Router session. */
const terminations = (sessionId: string) =>
  served.filter((e) => e.method === 'DELETE' && e.path === mcpPath(sessionId));

/** Resolves once the fake has answered a DELETE of this session's MCP endpoint (past or future). */
function terminated(sessionId: string, timeoutMs = 5_000): Promise<ServedExchange> {
  const seen = terminations(sessionId)[0];
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = realSetTimeout(() => {
      stop();
      reject(new Error(`no DELETE of ${mcpPath(sessionId)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = fake.onServed((e) => {
      if (e.method !== 'DELETE' || e.path !== mcpPath(sessionId)) return;
      realClearTimeout(timer);
      stop();
      resolve(e);
    });
  });
}

beforeAll(async () => {
  fetchGuard = guardLoopbackFetch();
  fake = await startFakeComposio();
  fake.onServed((e) => served.push(e));
  composio = composioAgainst(fake);
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await provider?.close();
  await fake?.close();
  fetchGuard?.restore();
  expect(fetchGuard?.refused).toEqual([]);
});

describe('session provider idle eviction', () => {
  it('closes an idle user’s MCP connection and reconnects to the stored session on next use', async () => {
    const user = 'slack-T1-UIDLE';
    fake.connect(user);
    // Only the clock of timeouts is faked, so the idle timer fires exactly when told to.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    provider = createSessionProvider({
      composio,
      sessionIds: createStores(createMemoryKeyValueStore(), createKeys('idle')).sessions,
      toolkits: ['confluence'],
      logger,
      idleMs: IDLE_MS,
    });

    const first = await provider.forUser(user);
    const [session] = sessionsOf(user);
    expect(sessionsOf(user)).toHaveLength(1);
    expect(initializes([session!.id])).toBe(1);

    // Each use restarts the idle clock: twice just under idleMs apart, it stays connected.
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(await provider.forUser(user)).toBe(first);
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(await provider.forUser(user)).toBe(first);
    expect(terminations(session!.id)).toEqual([]);

    // Left unused for idleMs, it is closed: the client ends its MCP session on the server.
    vi.advanceTimersByTime(IDLE_MS);
    await terminated(session!.id);
    expect(terminations(session!.id)).toHaveLength(1);

    // The next turn connects again (one more initialize) to the same Tool Router session.
    const second = await provider.forUser(user);
    expect(second).not.toBe(first);
    expect(initializes([session!.id])).toBe(2);
    // The stored session was reused: no second Tool Router session was created.
    expect(sessionsOf(user)).toHaveLength(1);
    expect(
      fake.restCalls.filter(
        (c) => c.method === 'POST' && c.path === '/api/v3.1/tool_router/session',
      ),
    ).toHaveLength(1);
    const outcome = await second.host.callTool(
      'COMPOSIO_MULTI_EXECUTE_TOOL',
      multi(['CONFLUENCE_GET_SPACES', {}]),
    );
    expect(outcome).toMatchObject({ isError: false });
    expect(JSON.stringify(outcome.content)).toContain('MKT');
  });

  it('lets a turn that holds a user’s tools keep calling them after its connection was evicted', async () => {
    const user = 'slack-T1-UEVICTED';
    const other = 'slack-T1-UOTHER';
    fake.connect(user);
    fake.connect(other);
    await provider?.close();
    provider = createSessionProvider({
      composio,
      sessionIds: createStores(createMemoryKeyValueStore(), createKeys('evict')).sessions,
      toolkits: ['confluence'],
      logger,
      maxConnections: 1,
    });
    const spaces = multi(['CONFLUENCE_GET_SPACES', {}]);
    // A turn takes the user's tools once, at its start, and uses them to its end.
    const held = await provider.forUser(user);
    const [session] = sessionsOf(user);
    // Another user's turn pushes this user's connection out of the one-connection cache.
    await provider.forUser(other);
    await terminated(session!.id);
    const outcome = await held.host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', spaces);
    expect(outcome).toMatchObject({ isError: false });
    expect(JSON.stringify(outcome.content)).toContain('MKT');
    // It went through a fresh connection to the same Tool Router session.
    expect(sessionsOf(user)).toHaveLength(1);
    expect(initializes([session!.id])).toBe(2);
  });
});
