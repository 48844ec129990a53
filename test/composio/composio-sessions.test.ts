/** The session provider over the real `@composio/core` SDK and MCP client, against the fake Composio. */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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

const logger = createLogger({ level: 'silent' });
let fake: FakeComposio;
let composio: ComposioLike;
let fetchGuard: ReturnType<typeof guardLoopbackFetch>;
let providers: SessionProvider[] = [];
let sessionIds: ReturnType<typeof createStores>['sessions'];
let userN = 0;
let user: string;

/** A provider as one replica of the app holds it; all share one session-id store. */
const replica = () => {
  const provider = createSessionProvider({
    composio,
    sessionIds,
    toolkits: ['confluence'],
    logger,
  });
  providers.push(provider);
  return provider;
};
const sessionsOf = (u: string) => fake.sessions().filter((s) => s.userId === u);
const initializes = (ids: string[]) =>
  fake.mcpCalls.filter((c) => c.method === 'initialize' && ids.includes(c.sessionId)).length;
const getSpaces = multi(['CONFLUENCE_GET_SPACES', {}]);
const textOf = (o: { content: unknown }) => JSON.stringify(o.content);

beforeAll(async () => {
  fetchGuard = guardLoopbackFetch();
  fake = await startFakeComposio();
  composio = composioAgainst(fake);
});

beforeEach(async () => {
  await Promise.all(providers.map((p) => p.close()));
  providers = [];
  sessionIds = createStores(createMemoryKeyValueStore(), createKeys('t')).sessions;
  userN += 1;
  user = `slack-T1-U${userN}`;
  fake.connect(user);
});

afterAll(async () => {
  await Promise.all(providers.map((p) => p.close()));
  await fake?.close();
  fetchGuard?.restore();
  expect(fetchGuard?.refused).toEqual([]);
});

describe('session provider', () => {
  it('keeps at most maxConnections users connected, dropping the least recently used', async () => {
    const provider = createSessionProvider({
      composio,
      sessionIds,
      toolkits: ['confluence'],
      logger,
      maxConnections: 2,
    });
    providers.push(provider);
    const users = [1, 2, 3].map((n) => `${user}-lru${n}`);
    for (const u of users) fake.connect(u);
    const first = await provider.forUser(users[0]!);
    await provider.forUser(users[1]!);
    await provider.forUser(users[0]!); // used again: users[1] is now the oldest
    await provider.forUser(users[2]!);
    expect(await provider.forUser(users[0]!)).toBe(first);
    const before = initializes(sessionsOf(users[1]!).map((s) => s.id));
    await provider.forUser(users[1]!); // was dropped: connects again
    expect(initializes(sessionsOf(users[1]!).map((s) => s.id))).toBe(before + 1);
    expect(sessionsOf(users[1]!)).toHaveLength(1); // the stored session is reused, not recreated
  });

  // With the old default of 200, people taking turns in rotation past the bound reconnected on
  // every turn (a session lookup, initialize, tools/list and a DELETE each): ~150 MB of RSS over
  // the benchmark's 1,000 users. 250 people stay connected by default.
  it('keeps 250 users connected by default: using them again makes no REST call or handshake', async () => {
    const provider = replica();
    const users = Array.from({ length: 250 }, (_, n) => `${user}-many${n}`);
    const inBatches = async (run: (u: string) => Promise<unknown>) => {
      for (let at = 0; at < users.length; at += 25)
        await Promise.all(users.slice(at, at + 25).map(run));
    };
    await inBatches((u) => provider.forUser(u));
    const [rest, mcp] = [fake.restCalls.length, fake.mcpCalls.length];
    await inBatches((u) => provider.forUser(u));
    expect(fake.restCalls.length).toBe(rest);
    expect(fake.mcpCalls.slice(mcp)).toEqual([]);
    expect(sessionsOf(users[0]!)).toHaveLength(1);
  });

  it('shares one frozen tool catalog between users and holds no standalone SSE stream open', async () => {
    const provider = replica();
    const other = `${user}-other`;
    fake.connect(other);
    const [a, b] = await Promise.all([provider.forUser(user), provider.forUser(other)]);
    expect(a.host).not.toBe(b.host);
    expect(b.catalog).toBe(a.catalog);
    expect(Object.isFrozen(a.catalog.tools[0])).toBe(true);
    expect(textOf(await b.host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', getSpaces))).toContain(
      'MKT',
    );
    const ids = [...sessionsOf(user), ...sessionsOf(other)].map((s) => s.id);
    expect(ids).toHaveLength(2);
    expect(fake.mcpStreams.filter((id) => ids.includes(id))).toEqual([]);
  });

  it('creates one session and one MCP connection per user, and reuses both', async () => {
    const provider = replica();
    const first = await provider.forUser(user);
    const again = await provider.forUser(user);
    expect(again).toBe(first);
    expect(textOf(await first.host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', getSpaces))).toContain(
      'MKT',
    );
    const ids = sessionsOf(user).map((s) => s.id);
    expect(ids).toHaveLength(1);
    expect(initializes(ids)).toBe(1);
    expect(first.catalog.tools.map((t) => t.name)).toContain('COMPOSIO_MULTI_EXECUTE_TOOL');
  });

  it('recreates an expired session once and retries the call, unnoticed', async () => {
    const { host } = await replica().forUser(user);
    fake.expireSession(sessionsOf(user)[0]!.id);
    const results = await Promise.all([
      host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', getSpaces),
      host.callTool('COMPOSIO_SEARCH_TOOLS', { queries: [{ use_case: 'list spaces' }] }),
    ]);
    expect(results.map((r) => r.isError)).toEqual([false, false]);
    expect(textOf(results[0]!)).toContain('MKT');
    const sessions = sessionsOf(user);
    expect(sessions).toHaveLength(2);
    expect(await sessionIds.get(user)).toBe(sessions[1]!.id);
  });

  it('lets a call already running on the old session finish instead of cutting it off', async () => {
    const { host } = await replica().forUser(user);
    fake.setToolDelay(300);
    try {
      const slow = host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', getSpaces);
      const first = () => fake.mcpCalls.filter((c) => c.method === 'tools/call').length;
      const before = first();
      // Once the slow call is in at the server, the session expires and another call reconnects.
      await vi.waitFor(() => expect(first()).toBe(before + 1), { interval: 5 });
      fake.expireSession(sessionsOf(user)[0]!.id);
      const next = await host.callTool('COMPOSIO_SEARCH_TOOLS', { queries: [{ use_case: 'x' }] });
      expect(next.isError).toBe(false);
      const outcome = await slow;
      expect(outcome.isError).toBe(false);
      expect(textOf(outcome)).toContain('MKT');
      expect(sessionsOf(user)).toHaveLength(2);
    } finally {
      fake.setToolDelay(0);
    }
  });

  it('picks up the session another replica already recreated instead of making a third', async () => {
    const a = await replica().forUser(user);
    const b = await replica().forUser(user);
    expect(sessionsOf(user)).toHaveLength(1);
    fake.expireSession(sessionsOf(user)[0]!.id);
    expect((await a.host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', getSpaces)).isError).toBe(false);
    expect((await b.host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', getSpaces)).isError).toBe(false);
    expect(sessionsOf(user)).toHaveLength(2);
  });

  it('turns a call that outlives the timeout into an error result that says it may have run', async () => {
    const provider = createSessionProvider({
      composio,
      sessionIds,
      toolkits: ['confluence'],
      logger,
      toolCallTimeoutMs: 200,
    });
    providers.push(provider);
    const { host } = await provider.forUser(user);
    fake.setToolDelay(1_000);
    try {
      const outcome = await host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', getSpaces);
      expect(outcome.isError).toBe(true);
      expect(textOf(outcome)).toMatch(/timed out after 0.2 s.*may still have taken effect/);
    } finally {
      fake.setToolDelay(0);
    }
  });
});
