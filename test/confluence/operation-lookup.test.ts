/**
 * Approval lookups (src/confluence/operation-lookup.ts, confluence-reads.ts): each target named
 * with the requester's own Tool Router session (fake Composio, real SDK and MCP client), several
 * pages per batched call, a bounded number of calls at once, and failures shown as failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PendingApproval } from '../../src/agent/agent-config.js';
import type { ToolHost } from '../../src/agent/types.js';
import {
  createSessionProvider,
  type SessionProvider,
} from '../../src/composio/composio-sessions.js';
import { createConfluenceReads } from '../../src/confluence/confluence-reads.js';
import {
  LOOKUP_CONCURRENCY,
  lookupOperations,
  PAGES_PER_CALL,
} from '../../src/confluence/operation-lookup.js';
import { createLogger } from '../../src/logger.js';
import { createKeys } from '../../src/store/keys.js';
import { createMemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { createStores } from '../../src/store/stores.js';
import { composioAgainst } from '../kit/composio-client.js';
import { guardLoopbackFetch } from '../kit/everything-server.js';
import { type FakeComposio, startFakeComposio } from '../kit/fake-composio/index.js';
import { seedPage } from '../kit/tool-calls.js';

const USER = 'slack-T1-ULOOKUP';
const logger = createLogger({ level: 'silent' });
const batch = (calls: Array<[string, unknown]>): PendingApproval => ({
  toolUseId: 'toolu_1',
  toolName: 'COMPOSIO_MULTI_EXECUTE_TOOL',
  slugs: calls.map(([slug]) => slug),
  input: { tools: calls.map(([tool_slug, args]) => ({ tool_slug, arguments: args })) },
});

describe('approval lookups through a Tool Router session', () => {
  let fake: FakeComposio;
  let fetchGuard: ReturnType<typeof guardLoopbackFetch>;
  let sessions: SessionProvider;
  beforeAll(async () => {
    fetchGuard = guardLoopbackFetch();
    fake = await startFakeComposio();
    fake.connect(USER);
    sessions = createSessionProvider({
      composio: composioAgainst(fake),
      sessionIds: createStores(createMemoryKeyValueStore(), createKeys('t')).sessions,
      toolkits: ['confluence'],
      logger,
    });
  });
  afterAll(async () => {
    await sessions?.close();
    await fake?.close();
    fetchGuard?.restore();
    expect(fetchGuard?.refused).toEqual([]);
  });

  it('names pages and spaces as the site has them; a missing page is a failed lookup with its id', async () => {
    const id = seedPage(fake, USER, 'Launch Plan');
    const site = fake.confluence.site(USER);
    const page = site.pages.find((p) => p.id === id)!;
    const reads = createConfluenceReads(sessions, logger);
    const ops = await reads.describeOperations(USER, [
      batch([
        ['CONFLUENCE_DELETE_PAGE', { id }],
        ['CONFLUENCE_DELETE_PAGE', { id: '404404' }],
        ['CONFLUENCE_DELETE_SPACE', { spaceKey: 'ENG' }],
        ['CONFLUENCE_DELETE_SPACE', { spaceKey: 'NOPE' }],
        ['CONFLUENCE_DELETE_COMMENT', { id: '55' }],
      ]),
    ]);
    expect(ops.map((o) => o.lookup)).toEqual([
      {
        status: 'found',
        page: {
          title: 'Launch Plan',
          spaceKey: 'MKT',
          version: 1,
          editedAt: page.updatedAt,
          url: `${site.baseUrl}/spaces/MKT/pages/${id}/Launch+Plan`,
        },
      },
      { status: 'failed', reason: 'not found' },
      {
        status: 'found',
        space: { key: 'ENG', name: 'Engineering', url: `${site.baseUrl}/spaces/ENG` },
      },
      { status: 'failed', reason: 'not found' },
      { status: 'not_looked_up' },
    ]);
    expect(ops[0]).toMatchObject({ slug: 'CONFLUENCE_DELETE_PAGE', args: `{"id":"${id}"}` });
  });

  it('looks 50 pages up in batches of at most PAGES_PER_CALL, a bounded number at once', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => seedPage(fake, USER, `Stale ${i}`));
    const { host } = await sessions.forUser(USER);
    const calls: Array<Record<string, unknown>> = [];
    let running = 0;
    let most = 0;
    const counting: ToolHost = {
      listTools: () => host.listTools(),
      async callTool(name, args) {
        calls.push(args);
        most = Math.max(most, ++running);
        try {
          return await host.callTool(name, args);
        } finally {
          running -= 1;
        }
      },
    };
    const ops = await lookupOperations(
      counting,
      [batch(ids.map((id) => ['CONFLUENCE_DELETE_PAGE', { id }]))],
      logger,
    );
    expect(ops.map((o) => o.lookup.status === 'found' && o.lookup.page?.title)).toEqual(
      ids.map((_, i) => `Stale ${i}`),
    );
    const sizes = calls.map((a) => (a.tools as unknown[]).length);
    // Three page batches and one space listing.
    expect(sizes.sort((a, b) => a - b)).toEqual([1, 10, PAGES_PER_CALL, PAGES_PER_CALL]);
    expect(most).toBeLessThanOrEqual(LOOKUP_CONCURRENCY + 1);
  });

  it('describes every target as failed when the lookups hang past their bound or the session fails', async () => {
    const hanging: ToolHost = {
      listTools: async () => [],
      callTool: () => new Promise(() => {}),
    };
    const approvals = [batch([['CONFLUENCE_DELETE_PAGE', { id: '1' }]])];
    const [late] = await lookupOperations(hanging, approvals, logger, 50);
    expect(late!.lookup).toEqual({ status: 'failed', reason: 'timed out' });

    const broken = createConfluenceReads(
      {
        forUser: async () => {
          throw new Error('Composio is down');
        },
        close: async () => {},
      },
      logger,
    );
    const [failed] = await broken.describeOperations(USER, approvals);
    expect(failed!.lookup).toEqual({ status: 'failed', reason: 'lookup failed' });
  });
});
