/** ConnectionService over the real `@composio/core` SDK, against the fake Composio and real Redis. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectLinkMissingError,
  createConnectionService,
} from '../../src/composio/composio-connections.js';
import type { ComposioLike, ToolRouterSession } from '../../src/composio/composio-like.js';
import { createSessionProvider } from '../../src/composio/composio-sessions.js';
import type { ConnectionService } from '../../src/composio/connections.js';
import { CodedError, userMessageFor } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { createKeys } from '../../src/store/keys.js';
import { createRedisKeyValueStore } from '../../src/store/redis-kv.js';
import { createStores } from '../../src/store/stores.js';
import { composioAgainst } from '../kit/composio-client.js';
import { guardLoopbackFetch } from '../kit/everything-server.js';
import { type FakeComposio, startFakeComposio } from '../kit/fake-composio/index.js';
import { cleanPrefixPerTest, connectTestRedis } from '../kit/redis.js';

const logger = createLogger({ level: 'silent' });
let fake: FakeComposio;
let composio: ComposioLike;
let redis: Redis;
let fetchGuard: ReturnType<typeof guardLoopbackFetch>;
let prefix: string;
const nextPrefix = cleanPrefixPerTest();
let sessionIds: ReturnType<typeof createStores>['sessions'];
let service: ConnectionService;
let user: string;

beforeAll(async () => {
  fetchGuard = guardLoopbackFetch();
  fake = await startFakeComposio();
  composio = composioAgainst(fake);
  redis = connectTestRedis();
});

beforeEach(() => {
  prefix = nextPrefix();
  sessionIds = createStores(createRedisKeyValueStore(redis), createKeys(prefix)).sessions;
  service = createConnectionService({ composio, sessionIds, toolkits: ['confluence'], logger });
  user = `slack-T1-${prefix}`;
});

afterAll(async () => {
  redis.disconnect();
  await fake?.close();
  fetchGuard?.restore();
  expect(fetchGuard?.refused).toEqual([]);
});

const sessionsOf = (userId: string) => fake.sessions().filter((s) => s.userId === userId);

describe('ConnectionService over Composio', () => {
  it('reports an unconnected toolkit through the user’s one session', async () => {
    expect(await service.status(user)).toEqual([{ toolkit: 'confluence', connected: false }]);
    expect(await service.status(user)).toEqual([{ toolkit: 'confluence', connected: false }]);
    const sessions = sessionsOf(user);
    expect(sessions).toHaveLength(1);
    expect(await sessionIds.get(user)).toBe(sessions[0]!.id);
    const toolkitCalls = fake.restCalls.filter((c) => c.path.includes('/toolkits?'));
    expect(toolkitCalls.at(-1)!.path).toBe(
      `/api/v3.1/tool_router/session/${sessions[0]!.id}/toolkits?toolkits=confluence`,
    );
  });

  it('hands out a Connect Link, then reports the account once the user completes it', async () => {
    const link = await service.connect(user, 'confluence');
    const issued = fake.links().filter((l) => l.userId === user);
    expect(issued).toHaveLength(1);
    expect(link).toEqual({ redirectUrl: issued[0]!.redirectUrl });
    expect(fake.isConnected(user)).toBe(false);

    fake.completeLink(issued[0]!.linkToken);
    const [status] = await service.status(user);
    expect(status).toMatchObject({ toolkit: 'confluence', connected: true });
    expect(status!.accountId).toMatch(/^ca_/);
    // Already connected: no link, and no new link flow started.
    expect(await service.connect(user, 'Confluence')).toBeNull();
    expect(fake.links().filter((l) => l.userId === user)).toHaveLength(1);
  });

  it("removes only this user's accounts for the toolkit, and says how many", async () => {
    const other = `${user}-other`;
    fake.connect(user);
    fake.connect(other);
    const deletes = () => fake.restCalls.filter((c) => c.method === 'DELETE').length;
    const before = deletes();
    expect(await service.disconnect(user, 'confluence')).toBe(1);
    expect(fake.isConnected(user)).toBe(false);
    expect(fake.isConnected(other)).toBe(true);
    expect(deletes() - before).toBe(1);
    expect(await service.status(user)).toEqual([{ toolkit: 'confluence', connected: false }]);
    expect(await service.disconnect(user, 'confluence')).toBe(0);
  });

  it('reuses the session the agent already created for the user, and vice versa', async () => {
    const provider = createSessionProvider({
      composio,
      sessionIds,
      toolkits: ['confluence'],
      logger,
    });
    try {
      await provider.forUser(user);
      await service.status(user);
      await service.connect(user, 'confluence');
      expect(sessionsOf(user)).toHaveLength(1);
      const later = `${user}-later`;
      await service.status(later);
      await provider.forUser(later);
      expect(sessionsOf(later)).toHaveLength(1);
    } finally {
      await provider.close();
    }
  });

  it('replaces an expired session once and keeps working', async () => {
    await service.status(user);
    const [first] = sessionsOf(user);
    fake.expireSession(first!.id);
    fake.connect(user);
    expect((await service.status(user))[0]!.connected).toBe(true);
    const sessions = sessionsOf(user);
    expect(sessions).toHaveLength(2);
    expect(await sessionIds.get(user)).toBe(sessions[1]!.id);
    await service.status(user);
    expect(sessionsOf(user)).toHaveLength(2);
  });

  describe('failures', () => {
    /** Awaits `promise`, expecting a CodedError with `code`; returns it. */
    async function codedFailure(promise: Promise<unknown>, code: string): Promise<CodedError> {
      const err = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CodedError);
      expect((err as CodedError).code).toBe(code);
      return err as CodedError;
    }

    it('reports a failing Composio as tools_unavailable on status, cause kept', async () => {
      fake.failNext('rest', 503);
      const err = await codedFailure(service.status(user), 'tools_unavailable');
      expect(err.cause).toBeInstanceOf(Error);
      expect(err.message).toMatch(/Injected failure 503/);
      expect(userMessageFor(err)).toMatch(/couldn't reach Confluence through Composio/);
      // Nothing is left broken: the next call works.
      expect(await service.status(user)).toEqual([{ toolkit: 'confluence', connected: false }]);
    });

    it('reports a failing Composio as tools_unavailable on connect', async () => {
      fake.failNext('rest', 500);
      await codedFailure(service.connect(user, 'confluence'), 'tools_unavailable');
      expect(fake.links().filter((l) => l.userId === user)).toHaveLength(0);
    });

    it('reports a failing Composio as tools_unavailable on disconnect, removing nothing', async () => {
      fake.connect(user);
      fake.failNext('rest', 502);
      await codedFailure(service.disconnect(user, 'confluence'), 'tools_unavailable');
      expect(fake.isConnected(user)).toBe(true);
    });

    it('reports a failing session store as store_unavailable, not as Composio', async () => {
      const down = () => Promise.reject(new Error('redis down'));
      const broken = createConnectionService({
        composio,
        sessionIds: { get: down, set: down, delete: down },
        toolkits: ['confluence'],
        logger,
      });
      await codedFailure(broken.status(user), 'store_unavailable');
      await codedFailure(broken.connect(user, 'confluence'), 'store_unavailable');
    });

    it('reports a Connect Link without a URL as connect_link_missing, not as Composio down', async () => {
      const session: ToolRouterSession = {
        sessionId: 'trs_nolink',
        mcp: { url: 'http://127.0.0.1:9/mcp' },
        toolkits: async () => ({ items: [{ slug: 'confluence', isNoAuth: false }] }),
        authorize: async () => ({ redirectUrl: null }),
      };
      const noLink = createConnectionService({
        composio: {
          create: async () => session,
          use: async () => session,
          connectedAccounts: { list: async () => ({ items: [] }), delete: async () => ({}) },
        },
        sessionIds,
        toolkits: ['confluence'],
        logger,
      });
      const err = await codedFailure(noLink.connect(user, 'confluence'), 'connect_link_missing');
      expect(err).toBeInstanceOf(ConnectLinkMissingError);
      expect(userMessageFor(err)).toMatch(/didn't give me a link to connect/);
    });
  });
});
