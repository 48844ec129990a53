/** The session MCP endpoint: one McpServer + StreamableHTTPServerTransport per MCP session. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  ErrorCode,
  isInitializeRequest,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { header, jsonRpcError, sendJson, sleep } from './http.js';
import { META_TOOLS } from './meta-schemas.js';
import { runTool } from './meta-tools.js';
import { type FakeState, metaToolSlugs, preloadedSlugs, type SessionRecord } from './state.js';

/** A tool as registered on the session's McpServer. */
interface Registered {
  slug: string;
  description: string;
  input: z.ZodObject;
}

interface Entry {
  trsId: string;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
}

/** Routes MCP requests of all tool router sessions to their per-MCP-session transports. */
export class McpRouter {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly state: FakeState) {}

  /** Handles one authorised request for a live tool router session. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    session: SessionRecord,
    body: unknown,
  ): Promise<void> {
    const mcpSessionId = header(req, 'mcp-session-id');
    if (mcpSessionId) {
      const entry = this.entries.get(mcpSessionId);
      if (!entry || entry.trsId !== session.id) {
        sendJson(res, 404, jsonRpcError(-32001, 'Session not found'));
        return;
      }
      await entry.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      sendJson(res, 400, jsonRpcError(-32000, 'Bad Request: No valid session ID provided'));
      return;
    }
    const server = this.buildServer(session);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.entries.set(id, { trsId: session.id, server, transport });
      },
      onsessionclosed: (id) => {
        this.entries.delete(id);
      },
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  /** Number of open MCP sessions. */
  get size(): number {
    return this.entries.size;
  }

  /** Closes every MCP session. */
  async close(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((e) => e.server.close()));
  }

  private buildServer(session: SessionRecord): McpServer {
    const server = new McpServer({ name: 'composio-tool-router', version: '1.0.0' });
    const registered: Registered[] = [];
    const register = (slug: string, description: string, input: z.ZodObject) => {
      registered.push({ slug, description, input });
      server.registerTool(slug, { description, inputSchema: input }, async (args: unknown) => {
        await sleep(this.state.toolDelayMs);
        const result = await runTool(this.state, session, slug, args);
        return { content: [{ type: 'text' as const, text: JSON.stringify(result) }] };
      });
    };
    for (const slug of metaToolSlugs(session.config)) {
      const spec = META_TOOLS[slug];
      if (spec) register(slug, spec.description, spec.input);
    }
    for (const slug of preloadedSlugs(session.config, this.state.confluence)) {
      const info = this.state.confluence.toolInfo(slug)!;
      const input = z.fromJSONSchema(info.inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
      register(slug, info.description, input as z.ZodObject);
    }
    if (this.state.toolsPageSize > 0 && registered.length > 0) {
      pageToolsList(server, registered, () => this.state.toolsPageSize);
    }
    return server;
  }
}

/**
 * Replaces the McpServer's tools/list (which always answers everything at once) with one that
 * answers `pageSize()` tools per page, linked by an opaque `nextCursor`, as a paging server does.
 * Each tool is listed as McpServer lists it: its input schema as draft-07 JSON Schema.
 */
function pageToolsList(server: McpServer, tools: Registered[], pageSize: () => number): void {
  const listed = (t: Registered): Tool => ({
    name: t.slug,
    description: t.description,
    inputSchema: z.toJSONSchema(t.input, { target: 'draft-7', io: 'input' }) as Tool['inputSchema'],
  });
  server.server.setRequestHandler(ListToolsRequestSchema, (request) => {
    const cursor = request.params?.cursor;
    let start = 0;
    if (cursor !== undefined) {
      const match = /^page:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
      start = match ? Number(match[1]) : -1;
      if (start <= 0 || start >= tools.length) {
        throw new McpError(ErrorCode.InvalidParams, `Invalid cursor: ${cursor}`);
      }
    }
    const end = start + (pageSize() || tools.length);
    return {
      tools: tools.slice(start, end).map(listed),
      ...(end < tools.length
        ? { nextCursor: Buffer.from(`page:${end}`, 'utf8').toString('base64url') }
        : {}),
    };
  });
}
