/** connectMcpToolHost lists every tool of a server that pages tools/list (nextCursor). */
import { Composio } from '@composio/core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildToolCatalog } from '../../src/agent/tool-schema.js';
import { connectMcpToolHost, type McpToolHost } from '../../src/composio/mcp-tool-host.js';
import { guardLoopbackFetch } from '../kit/everything-server.js';
import { type FakeComposio, startFakeComposio } from '../kit/fake-composio/index.js';
import { connectMcp } from '../kit/fake-composio/mcp-client.js';

const PAGE = 4;
const USER = 'slack-T1-UPAGES';
let fake: FakeComposio;
let fetchGuard: ReturnType<typeof guardLoopbackFetch>;
let mcp: { url: string; headers: Record<string, string> };
let sessionId: string;
const open: Array<{ close(): Promise<void> }> = [];

/** tools/list requests the fake has received for the session so far. */
const listCalls = () =>
  fake.mcpCalls.filter((c) => c.sessionId === sessionId && c.method === 'tools/list').length;

async function connectHost(): Promise<McpToolHost> {
  const host = await connectMcpToolHost({ url: mcp.url, headers: mcp.headers });
  open.push(host);
  return host;
}

beforeAll(async () => {
  fetchGuard = guardLoopbackFetch();
  fake = await startFakeComposio();
  const composio = new Composio({
    apiKey: fake.apiKey,
    baseURL: fake.url,
    allowTracking: false,
    disableVersionCheck: true,
  });
  // Every Confluence tool preloaded: enough tools for several pages.
  const session = await composio.create(USER, {
    toolkits: ['confluence'],
    preload: { tools: fake.confluence.tools().map((t) => t.slug) },
    manageConnections: true,
    mcp: true,
  });
  sessionId = session.sessionId;
  mcp = { url: session.mcp.url, headers: session.mcp.headers ?? {} };
});

afterEach(async () => {
  fake.pageToolsBy(0);
  await Promise.all(open.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await fake?.close();
  fetchGuard?.restore();
  expect(fetchGuard?.refused).toEqual([]);
});

describe('listTools over a paging MCP server', () => {
  it('follows nextCursor across every page and lists exactly what an unpaged server lists', async () => {
    // The same session listed in one page (the fake's default)...
    const before = listCalls();
    const whole = await (await connectHost()).listTools();
    expect(listCalls() - before).toBe(1);
    expect(whole.length).toBeGreaterThan(3 * PAGE);

    // ...and by a server that pages: a raw client sees only the first page and a cursor.
    fake.pageToolsBy(PAGE);
    const raw: Client = await connectMcp(mcp.url, mcp.headers);
    open.push(raw);
    const first = await raw.listTools();
    expect(first.tools).toHaveLength(PAGE);
    expect(first.nextCursor).toEqual(expect.any(String));

    const start = listCalls();
    const paged = await (await connectHost()).listTools();
    expect(listCalls() - start).toBe(Math.ceil(whole.length / PAGE));
    expect(paged.map((t) => t.name)).toEqual(whole.map((t) => t.name));
    expect(new Set(paged.map((t) => t.name)).size).toBe(paged.length);
    expect(paged).toEqual(whole);
    expect(buildToolCatalog(paged)).toEqual(buildToolCatalog(whole));
  });
});
