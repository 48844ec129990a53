import { Composio } from '@composio/core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeComposio, startFakeComposio } from './fake-composio/index.js';
import { callJson as call, connectMcp } from './fake-composio/mcp-client.js';

const realFetch = globalThis.fetch;
const fetched: string[] = [];
let fake: FakeComposio;
let clients: Client[] = [];

/** The SDK's constructor-time network calls (npm version check, telemetry) must stay off. */
const sdk = (apiKey = fake.apiKey) =>
  new Composio({ apiKey, baseURL: fake.url, allowTracking: false, disableVersionCheck: true });

async function mcp(url: string, headers: Record<string, string>): Promise<Client> {
  const client = await connectMcp(url, headers);
  clients.push(client);
  return client;
}

const body = { storage: { representation: 'storage', value: '<p>Hi</p>' } };
const createPage = (title: string) => ({
  tool_slug: 'CONFLUENCE_CREATE_PAGE',
  arguments: { spaceId: 'MKT', title, body },
});

beforeAll(() => {
  process.env.TELEMETRY_DISABLED = 'true'; // belt and braces: NODE_ENV=test also mutes telemetry
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    fetched.push(url);
    if (!url.startsWith('http://127.0.0.1:')) return Promise.reject(new Error(`offline: ${url}`));
    return realFetch(input, init);
  }) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});
beforeEach(async () => {
  fake = await startFakeComposio();
  fetched.length = 0;
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await fake.close();
  expect(fetched.filter((u) => !u.startsWith(fake.url))).toEqual([]);
});

describe('fake Composio with the real @composio/core SDK', () => {
  it('creates and reuses a tool router session whose MCP url is on the fake origin', async () => {
    const composio = sdk();
    const session = await composio.create('u1', {
      toolkits: ['confluence'],
      manageConnections: true,
      mcp: true,
    });
    expect(session.sessionId).toMatch(/^trs_/);
    expect(session.mcp.url).toBe(`${fake.url}/tool_router/${session.sessionId}/mcp`);
    expect(session.mcp.headers).toEqual({ 'x-api-key': fake.apiKey });
    expect(fake.restCalls[0]).toMatchObject({
      method: 'POST',
      path: '/api/v3.1/tool_router/session',
      body: {
        user_id: 'u1',
        toolkits: { enable: ['confluence'] },
        manage_connections: { enable: true },
      },
    });
    const reused = await composio.use(session.sessionId);
    expect(reused.config.user_id).toBe('u1');
    expect(fake.sessions()).toEqual([{ id: session.sessionId, userId: 'u1' }]);
  });

  it('authorizes through a Connect Link, lists and deletes the connected account', async () => {
    const composio = sdk();
    const session = await composio.create('u1', { toolkits: ['confluence'] });
    const before = await session.toolkits({ toolkits: ['confluence'] });
    expect(before.items[0]).toMatchObject({ slug: 'confluence', connection: { isActive: false } });
    const request = await session.authorize('confluence');
    expect(request.redirectUrl).toMatch(/^https:\/\/connect\.composio\.dev\/link\/lk_/);
    fake.completeLink(request.redirectUrl!.split('/').pop()!);
    expect((await request.waitForConnection(2_000)).status).toBe('ACTIVE');
    const after = await session.toolkits({ toolkits: ['confluence'] });
    expect(after.items[0]?.connection).toMatchObject({ isActive: true });
    const list = await composio.connectedAccounts.list({ userIds: ['u1'] });
    expect(list.items.map((a) => [a.id, a.status])).toEqual([[request.id, 'ACTIVE']]);
    await composio.connectedAccounts.delete(request.id);
    expect(fake.isConnected('u1')).toBe(false);
  });

  it('executes Confluence tools with session.execute', async () => {
    const session = await sdk().create('u1', { toolkits: ['confluence'] });
    fake.connect('u1');
    const spaces = await session.execute('CONFLUENCE_GET_SPACES', {});
    expect(spaces.error).toBeNull();
    expect(spaces.logId).toMatch(/^log_/);
    expect(spaces.data.results).toMatchObject([{ key: 'MKT' }, { key: 'ENG' }]);
    const { arguments: args } = createPage('Launch plan');
    expect((await session.execute('CONFLUENCE_CREATE_PAGE', args)).error).toBeNull();
    const duplicate = await session.execute('CONFLUENCE_CREATE_PAGE', args);
    expect(duplicate.error).toMatch(/page with this title already exists/);
    expect(fake.confluence.writeCount('CONFLUENCE_CREATE_PAGE', 'u1')).toBe(2);
  });

  it('rejects a wrong API key with 401 and an injected failure without retrying', async () => {
    await expect(sdk('wrong-key').create('u1', {})).rejects.toMatchObject({ status: 401 });
    fake.failNext('rest', 503);
    await expect(sdk().create('u1', {})).rejects.toMatchObject({ status: 503 });
    expect(fake.restCalls.filter((c) => c.method === 'POST')).toHaveLength(2);
    await expect(sdk().create('u1', {})).resolves.toBeDefined();
  });

  it('turning off only allowTracking still leaves the npm version check (blocked here)', () => {
    new Composio({ apiKey: fake.apiKey, baseURL: fake.url, allowTracking: false });
    expect(fetched).toEqual(['https://registry.npmjs.org/@composio/core/latest']);
    fetched.length = 0;
  });
});

describe('fake Tool Router MCP server with the real MCP client', () => {
  it('lists the meta tools and creates a page through COMPOSIO_MULTI_EXECUTE_TOOL', async () => {
    const session = await sdk().create('u1', { toolkits: ['confluence'], mcp: true });
    fake.connect('u1');
    const client = await mcp(session.mcp.url, session.mcp.headers ?? {});
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'COMPOSIO_SEARCH_TOOLS',
        'COMPOSIO_GET_TOOL_SCHEMAS',
        'COMPOSIO_MULTI_EXECUTE_TOOL',
        'COMPOSIO_MANAGE_CONNECTIONS',
      ]),
    );
    const found = await call(client, 'COMPOSIO_SEARCH_TOOLS', {
      queries: [{ use_case: 'create a confluence page' }],
    });
    expect(found.data.results[0].primary_tool_slugs).toContain('CONFLUENCE_CREATE_PAGE');
    expect(found.data.toolkit_connection_statuses[0]).toMatchObject({
      toolkit: 'confluence',
      has_active_connection: true,
    });
    const result = await call(client, 'COMPOSIO_MULTI_EXECUTE_TOOL', {
      tools: [createPage('Q3 recap')],
    });
    expect(result).toMatchObject({ successful: true, error: null, data: { success_count: 1 } });
    const page = result.data.results[0].response.data;
    expect(page).toMatchObject({ title: 'Q3 recap', version: { number: 1 } });
    expect(fake.confluence.site('u1').pages.find((p) => p.id === page.id)?.title).toBe('Q3 recap');
    expect(fake.mcpCalls[0]).toMatchObject({ sessionId: session.sessionId, method: 'initialize' });
    expect(fake.mcpCalls.filter((c) => c.tool === 'COMPOSIO_MULTI_EXECUTE_TOOL')).toHaveLength(1);
  });

  it('tells an unconnected user to connect: initiated + redirect_url, execution fails', async () => {
    const session = await sdk().create('u2', { toolkits: ['confluence'], mcp: true });
    const client = await mcp(session.mcp.url, session.mcp.headers ?? {});
    const manage = await call(client, 'COMPOSIO_MANAGE_CONNECTIONS', { toolkits: ['confluence'] });
    expect(manage.data.results.confluence).toMatchObject({
      status: 'initiated',
      redirect_url: expect.stringMatching(/^https:\/\/connect\.composio\.dev\/link\/lk_/),
    });
    const run = await call(client, 'COMPOSIO_MULTI_EXECUTE_TOOL', { tools: [createPage('Nope')] });
    expect(run.successful).toBe(false);
    expect(run.data.results[0].error).toMatch(/no active connection.*confluence/i);
    expect(fake.confluence.writeCount()).toBe(0);
    fake.connect('u2');
    const again = await call(client, 'COMPOSIO_MANAGE_CONNECTIONS', { toolkits: ['confluence'] });
    expect(again.data.results.confluence.status).toBe('active');
  });

  it('answers 404 for an expired session and 401 for a wrong key', async () => {
    const composio = sdk();
    const session = await composio.create('u1', { toolkits: ['confluence'], mcp: true });
    const client = await mcp(session.mcp.url, session.mcp.headers ?? {});
    fake.expireSession(session.sessionId);
    const expired = client.callTool({ name: 'COMPOSIO_SEARCH_TOOLS', arguments: {} });
    await expect(expired).rejects.toBeInstanceOf(StreamableHTTPError);
    await expect(expired).rejects.toMatchObject({ code: 404 });
    await expect(composio.use(session.sessionId)).rejects.toMatchObject({ status: 404 });
    const live = await composio.create('u1', { toolkits: ['confluence'], mcp: true });
    await expect(mcp(live.mcp.url, { 'x-api-key': 'wrong' })).rejects.toMatchObject({ code: 401 });
  });

  it('delays tool calls past the client timeout while the write still runs once', async () => {
    const session = await sdk().create('u1', { toolkits: ['confluence'], mcp: true });
    fake.connect('u1');
    const client = await mcp(session.mcp.url, session.mcp.headers ?? {});
    fake.setToolDelay(300);
    const slow = call(client, 'COMPOSIO_MULTI_EXECUTE_TOOL', { tools: [createPage('Slow')] }, 50);
    await expect(slow).rejects.toMatchObject({ code: -32001 });
    await vi.waitFor(() => expect(fake.confluence.writeCount('CONFLUENCE_CREATE_PAGE')).toBe(1));
    fake.setToolDelay(0);
    fake.failNext('mcp', 500);
    await expect(client.listTools()).rejects.toMatchObject({ code: 500 });
    expect((await client.listTools()).tools.length).toBeGreaterThan(3);
  });
});
