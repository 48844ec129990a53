/**
 * The MCP reference server (`@modelcontextprotocol/server-everything`), mounted in-process over
 * Streamable HTTP on 127.0.0.1: one server instance from its own factory per MCP session.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** The package's server factory (`dist/server/index.js`); the package ships no type declarations. */
interface EverythingFactory {
  createServer(): { server: McpServer; cleanup(sessionId?: string): void };
}

// A variable specifier: tsc must not look for declarations the package does not have.
const FACTORY_MODULE = '@modelcontextprotocol/server-everything/dist/server/index.js';

interface Session {
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  cleanup(sessionId?: string): void;
}

/** A running reference server. */
export interface EverythingServer {
  /** The MCP endpoint, e.g. `http://127.0.0.1:40123/mcp`. */
  url: string;
  /** Names of the tools the server has registered (enabled) in each live MCP session. */
  registeredToolNames(): string[][];
  close(): Promise<void>;
}

/** Starts the reference server on an ephemeral loopback port. */
export async function startEverythingServer(): Promise<EverythingServer> {
  const factory = (await import(FACTORY_MODULE)) as EverythingFactory;
  const sessions = new Map<string, Session>();

  const httpServer: Server = createServer((req, res) => {
    void (async () => {
      if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') {
        res.writeHead(404).end();
        return;
      }
      const sessionId = req.headers['mcp-session-id'];
      if (typeof sessionId === 'string') {
        const session = sessions.get(sessionId);
        if (!session) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              jsonrpc: '2.0',
              error: { code: -32001, message: 'Session not found' },
              id: null,
            }),
          );
          return;
        }
        await session.transport.handleRequest(req, res);
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(400).end();
        return;
      }
      const { server, cleanup } = factory.createServer();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { server, transport, cleanup });
        },
        onsessionclosed: (id) => {
          sessions.delete(id);
          cleanup(id);
        },
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const { address, port } = httpServer.address() as AddressInfo;

  return {
    url: `http://${address}:${port}/mcp`,
    registeredToolNames() {
      return [...sessions.values()].map(({ server }) => {
        // McpServer keeps its registrations in a private map; the package version is pinned.
        const tools = (
          server as unknown as { _registeredTools: Record<string, { enabled: boolean }> }
        )._registeredTools;
        return Object.entries(tools)
          .filter(([, tool]) => tool.enabled)
          .map(([name]) => name);
      });
    },
    async close() {
      const open = [...sessions.entries()];
      sessions.clear();
      for (const [id, session] of open) {
        session.cleanup(id);
        await session.server.close().catch(() => {});
      }
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/**
 * Wraps `globalThis.fetch` so that any request to a host other than 127.0.0.1 fails instead of
 * leaving the machine; returns the refused URLs and a restore function.
 */
export function guardLoopbackFetch(): { refused: string[]; restore(): void } {
  const original = globalThis.fetch;
  const refused: string[] = [];
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname !== '127.0.0.1') {
      refused.push(url.href);
      throw new Error(`network access refused in test: ${url.href}`);
    }
    return original(input, init);
  }) as typeof fetch;
  return {
    refused,
    restore() {
      globalThis.fetch = original;
    },
  };
}
