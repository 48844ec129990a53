import { Composio } from '@composio/core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeComposio, startFakeComposio } from './index.js';
import { callJson, connectMcp } from './mcp-client.js';

let fake: FakeComposio;
let client: Client | undefined;
const sdk = () =>
  new Composio({
    apiKey: fake.apiKey,
    baseURL: fake.url,
    allowTracking: false,
    disableVersionCheck: true,
  });

beforeEach(async () => {
  fake = await startFakeComposio({ apiKey: 'k-config' });
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await fake.close();
});

describe('fake Composio session config', () => {
  it('exposes preloaded app tools directly and drops disabled meta tools', async () => {
    const session = await sdk().create('u1', {
      toolkits: ['confluence'],
      preload: { tools: ['CONFLUENCE_CREATE_PAGE', 'CONFLUENCE_GET_SPACES'] },
      sandbox: { enable: false },
      manageConnections: false,
      mcp: true,
    });
    expect(session.preload).toEqual({ tools: ['CONFLUENCE_CREATE_PAGE', 'CONFLUENCE_GET_SPACES'] });
    client = await connectMcp(session.mcp.url, session.mcp.headers ?? {});
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'COMPOSIO_SEARCH_TOOLS',
      'COMPOSIO_MULTI_EXECUTE_TOOL',
      'COMPOSIO_GET_TOOL_SCHEMAS',
      'CONFLUENCE_GET_SPACES',
      'CONFLUENCE_CREATE_PAGE',
    ]);
    const create = tools.find((t) => t.name === 'CONFLUENCE_CREATE_PAGE')!;
    expect(create.inputSchema.required).toEqual(['spaceId', 'title', 'body']);
    fake.connect('u1');
    const spaces = await callJson(client, 'CONFLUENCE_GET_SPACES', { keys: ['ENG'] });
    expect(spaces).toMatchObject({ successful: true, data: { results: [{ key: 'ENG' }] } });
  });

  it('serves session.search and COMPOSIO_GET_TOOL_SCHEMAS with the same tool schemas', async () => {
    const session = await sdk().create('u1', { toolkits: ['confluence'], mcp: true });
    const search = await session.search({ query: 'update an existing wiki page' });
    expect(search.results[0]?.primaryToolSlugs[0]).toBe('CONFLUENCE_UPDATE_PAGE');
    expect(search.toolkitConnectionStatuses[0]).toMatchObject({ hasActiveConnection: false });
    client = await connectMcp(session.mcp.url, session.mcp.headers ?? {});
    const schemas = await callJson(client, 'COMPOSIO_GET_TOOL_SCHEMAS', {
      tool_slugs: ['CONFLUENCE_UPDATE_PAGE', 'NOPE'],
    });
    expect(schemas.data.tool_schemas.CONFLUENCE_UPDATE_PAGE.input_schema).toEqual(
      search.toolSchemas.CONFLUENCE_UPDATE_PAGE?.inputSchema,
    );
    expect(schemas.data.not_found_slugs).toEqual(['NOPE']);
  });

  it('keeps sessions of other toolkits away from Confluence', async () => {
    const session = await sdk().create('u1', { toolkits: ['github'] });
    fake.connect('u1');
    const run = await session.execute('CONFLUENCE_GET_SPACES', {});
    expect(run.error).toMatch(/not enabled/);
    await expect(session.authorize('confluence')).rejects.toMatchObject({ status: 400 });
  });
});
