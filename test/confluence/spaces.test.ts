import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_TOOL_RESULT_CHARS, toToolOutcome } from '../../src/agent/tool-result.js';
import type { ToolHost } from '../../src/agent/types.js';
import {
  createSessionProvider,
  type SessionProvider,
} from '../../src/composio/composio-sessions.js';
import { findSpaces, listSpaces } from '../../src/confluence/spaces.js';
import { createLogger } from '../../src/logger.js';
import { pickerSpaces } from '../../src/slack/blocks/space-options.js';
import { createKeys } from '../../src/store/keys.js';
import { createMemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { createStores } from '../../src/store/stores.js';
import { composioAgainst } from '../kit/composio-client.js';
import { guardLoopbackFetch } from '../kit/everything-server.js';
import { type FakeComposio, startFakeComposio } from '../kit/fake-composio/index.js';

const spacesResult = {
  data: {
    results: [
      {
        index: 0,
        tool_slug: 'CONFLUENCE_GET_SPACES',
        response: {
          data: {
            results: [
              { id: '1', key: 'MKT', name: 'Marketing', type: 'global' },
              { id: '2', key: 'ENG', name: 'Engineering', type: 'global' },
            ],
          },
        },
      },
    ],
  },
};

describe('findSpaces', () => {
  it('finds the {key, name} list inside a multi-execute result and keeps only those fields', () => {
    expect(findSpaces(spacesResult)).toEqual([
      { key: 'MKT', name: 'Marketing' },
      { key: 'ENG', name: 'Engineering' },
    ]);
  });

  it('returns nothing for other shapes, and stops at a depth bound', () => {
    expect(findSpaces(null)).toEqual([]);
    expect(findSpaces('MKT')).toEqual([]);
    expect(findSpaces({ items: [{ key: 1, name: 'x' }] })).toEqual([]);
    let deep: unknown = [{ key: 'DEEP', name: 'Deep' }];
    for (let i = 0; i < 12; i++) deep = { next: deep };
    expect(findSpaces(deep)).toEqual([]);
  });
});

describe('listSpaces', () => {
  const hostAnswering = (texts: string[], isError = false): ToolHost =>
    ({
      callTool: async () => ({
        isError,
        content: texts.map((text) => ({ type: 'text' as const, text })),
      }),
    }) as unknown as ToolHost;

  it('parses a result split over several text blocks', async () => {
    const json = JSON.stringify(spacesResult);
    const host = hostAnswering([json.slice(0, 40), json.slice(40)]);
    expect((await listSpaces(host)).map((s) => s.key)).toEqual(['MKT', 'ENG']);
  });

  it('offers no spaces when the tool fails or answers something else', async () => {
    expect(await listSpaces(hostAnswering(['{"error":"no connection"}'], true))).toEqual([]);
    expect(await listSpaces(hostAnswering(['not json']))).toEqual([]);
  });
});

/** One space as the Confluence REST v2 API (GET /wiki/api/v2/spaces) returns it. */
function v2Space(i: number) {
  const id = String(98_304 + i * 131);
  const key = `S${String(i).padStart(3, '0')}`;
  // Names in an order unrelated to the ids, so the picker's sort is visible.
  const name = `${['Team', 'Project', 'Archive', 'Wiki', 'Ops'][i % 5]} space ${(i * 37) % 150}`;
  return {
    id,
    key,
    name,
    type: 'global',
    status: 'current',
    authorId: '5b10ac8d82e05b22cc7d4ef5',
    createdAt: '2023-04-12T09:31:27.456Z',
    homepageId: String(Number(id) + 1),
    spaceOwnerId: '5b10ac8d82e05b22cc7d4ef5',
    currentActiveAlias: key,
    description: {
      plain: {
        value: `Home of ${name}: meeting notes, decisions, how-to articles and the team's runbooks.`,
        representation: 'plain',
      },
    },
    icon: {
      path: `/wiki/aa-avatar/${id}`,
      apiDownloadLink: `/wiki/download/attachments/${id}/space-icon.png?version=1&api=v2`,
    },
    _links: { webui: `/spaces/${key}`, base: 'https://acme.atlassian.net/wiki' },
  };
}

/** The Tool Router's MCP text for COMPOSIO_MULTI_EXECUTE_TOOL running CONFLUENCE_GET_SPACES. */
function multiExecuteText(spaces: unknown[]): string {
  const response = {
    data: {
      results: spaces,
      _links: {
        base: 'https://acme.atlassian.net/wiki',
        next: '/wiki/api/v2/spaces?cursor=eyJpZCI6OTg0MzQsImRpciI6Im5leHQifQ&limit=250',
      },
    },
    error: null,
    successful: true,
  };
  const item = {
    index: 0,
    tool_slug: 'CONFLUENCE_GET_SPACES',
    response,
    error: null,
    success: true,
  };
  const data = { results: [item], total_count: 1, success_count: 1, error_count: 0 };
  return JSON.stringify({ data, error: null, successful: true });
}

const collator = new Intl.Collator('en', { numeric: true });

describe('listSpaces on a site with many spaces', () => {
  const spaces = Array.from({ length: 150 }, (_, i) => v2Space(i));
  const text = multiExecuteText(spaces);
  // The outcome a real MCP host hands back: built by toToolOutcome, so capped for the model.
  const calls: Array<Record<string, unknown>> = [];
  const host: ToolHost = {
    listTools: async () => [],
    callTool: async (_name, args) => {
      calls.push(args);
      return toToolOutcome({ content: [{ type: 'text', text }] });
    },
  };

  it('is larger than what the model is shown', async () => {
    expect(text.length).toBeGreaterThan(MAX_TOOL_RESULT_CHARS * 2);
    const shown = (await host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', {})).content;
    expect(JSON.stringify(shown)).toContain('[tool result cut:');
  });

  it('reads every space from the uncapped result; the picker offers the first 100 by name', async () => {
    const logger = { warn: vi.fn() };
    const listed = await listSpaces(host, logger);
    expect(listed).toHaveLength(150);
    const offered = pickerSpaces(listed);
    const byName = spaces
      .map(({ key, name }) => ({ key, name }))
      .sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.key, b.key));
    expect(offered).toHaveLength(100);
    expect(offered).toEqual(byName.slice(0, 100));
    expect(offered[0]).toEqual({ key: 'S142', name: 'Archive space 4' });
    expect(logger.warn).not.toHaveBeenCalled();
    // One call, asking for as many spaces as the API gives in one page.
    const tools = calls.at(-1)?.tools as Array<{ tool_slug: string; arguments: { limit: number } }>;
    expect(tools).toEqual([{ tool_slug: 'CONFLUENCE_GET_SPACES', arguments: { limit: 250 } }]);
  });

  it('warns, and offers no spaces, when the result cannot be read', async () => {
    const logger = { warn: vi.fn() };
    const answering = (outcomeText: string, isError = false): ToolHost => ({
      listTools: async () => [],
      callTool: async () =>
        toToolOutcome({ content: [{ type: 'text', text: outcomeText }], isError }),
    });
    expect(await listSpaces(answering(text.slice(0, 30_000)), logger)).toEqual([]);
    expect(await listSpaces(answering('{"error":"no connection"}', true), logger)).toEqual([]);
    // Composio's own failure report: a successful MCP result saying the tool failed.
    const itemFailed = JSON.stringify({
      data: {
        results: [
          {
            index: 0,
            tool_slug: 'CONFLUENCE_GET_SPACES',
            response: { data: {}, error: 'Invalid request data provided', successful: false },
            error: 'Invalid request data provided',
            success: false,
          },
        ],
        total_count: 1,
        success_count: 0,
        error_count: 1,
      },
      error: '1 out of 1 tools failed',
      successful: false,
    });
    expect(await listSpaces(answering(itemFailed), logger)).toEqual([]);
    expect(logger.warn.mock.calls.map(([, message]) => message)).toEqual([
      'could not parse the Confluence space listing',
      'listing Confluence spaces failed',
      'found no spaces in the Confluence space listing',
    ]);
    expect(logger.warn.mock.calls[2]?.[0]).toMatchObject({ error: '1 out of 1 tools failed' });
  });
});

describe('listSpaces through a Tool Router session (fake Composio, real MCP client)', () => {
  let fake: FakeComposio;
  let fetchGuard: ReturnType<typeof guardLoopbackFetch>;
  let provider: SessionProvider | undefined;
  beforeAll(async () => {
    fetchGuard = guardLoopbackFetch();
    fake = await startFakeComposio();
  });
  afterAll(async () => {
    await provider?.close();
    await fake?.close();
    fetchGuard?.restore();
    expect(fetchGuard?.refused).toEqual([]);
  });

  it('offers spaces from a site whose listing is larger than the model sees', async () => {
    const user = 'slack-T1-UMANYSPACES';
    fake.connect(user);
    // The site starts with MKT and ENG; 148 more make 150.
    for (let i = 0; i < 148; i++) {
      const made = fake.confluence.execute(user, 'CONFLUENCE_CREATE_SPACE', {
        key: `P${i}`,
        name: `Project ${i}`,
        description: `Plans, meeting notes and decisions of project ${i}.`,
      });
      expect(made.successful).toBe(true);
    }
    const composio = composioAgainst(fake);
    provider = createSessionProvider({
      composio,
      sessionIds: createStores(createMemoryKeyValueStore(), createKeys('t')).sessions,
      toolkits: ['confluence'],
      logger: createLogger({ level: 'silent' }),
    });
    const { host } = await provider.forUser(user);

    const logger = { warn: vi.fn() };
    const listed = await listSpaces(host, logger);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(listed).toHaveLength(150);
    const offered = pickerSpaces(listed);
    expect(offered).toHaveLength(100);
    const names = [
      'Engineering',
      'Marketing',
      ...Array.from({ length: 148 }, (_, i) => `Project ${i}`),
    ];
    expect(offered.map((s) => s.name)).toEqual(names.slice(0, 100));
    // What the model would have been shown of the same call is cut.
    const shown = await host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', {
      tools: [{ tool_slug: 'CONFLUENCE_GET_SPACES', arguments: { limit: 250 } }],
    });
    expect(JSON.stringify(shown.content)).toContain('[tool result cut:');
  });
});
