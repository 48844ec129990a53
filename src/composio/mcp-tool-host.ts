import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type {
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/sdk/validation/types.js';
import { errorOutcome, toToolOutcome } from '../agent/tool-result.js';
import type { HostTool, ToolHost } from '../agent/types.js';
import { CodedError } from '../errors.js';

/** The MCP session (or the Tool Router session behind it) is gone: reconnect and retry. */
export class SessionExpiredError extends CodedError {
  constructor(options?: { cause?: unknown }) {
    super('session_expired', 'MCP session expired', options);
  }
}

/** True for the errors a vanished session produces: HTTP 404, or "no valid session". */
export function isSessionGone(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : String(err);
  return code === 404 || /no valid session|session not found/i.test(message);
}

// Far more than the distinct output schemas of a deployment's tools; only bounds the memory.
const MAX_COMPILED_SCHEMAS = 256;
// A Confluence call that has not answered in a minute is stuck; Claude is told it may have run.
const TOOL_CALL_TIMEOUT_MS = 60_000;
// Ending the session on the server is a courtesy (it expires anyway): never hold a close for it.
const SESSION_END_WAIT_MS = 1_000;

/**
 * One output-schema validator for every connection in the process. By default each MCP client
 * builds its own Ajv instance (compiling its meta-schemas) on every connect; here a schema is
 * compiled once per distinct JSON, and a bounded number of them are kept.
 */
function sharedValidator(max = MAX_COMPILED_SCHEMAS): jsonSchemaValidator {
  const ajv = new AjvJsonSchemaValidator();
  const compiled = new Map<string, JsonSchemaValidator<unknown>>();
  return {
    getValidator<T>(schema: Parameters<jsonSchemaValidator['getValidator']>[0]) {
      const key = JSON.stringify(schema);
      let validate = compiled.get(key);
      if (!validate) {
        validate = ajv.getValidator<unknown>(schema);
        compiled.set(key, validate);
        if (compiled.size > max) compiled.delete(compiled.keys().next().value!);
      }
      return validate as JsonSchemaValidator<T>;
    },
  };
}
const validator = sharedValidator();

/**
 * Fetch for the MCP transport, without the optional standalone SSE stream (GET): the Tool
 * Router sends nothing we use on it, and holding one open per connected user costs a socket and
 * its buffers each. A 405 is the transport's documented "no stream offered" answer.
 */
const fetchWithoutStandaloneStream: typeof fetch = (input, init) =>
  init?.method === 'GET'
    ? Promise.resolve(new Response(null, { status: 405 }))
    : fetch(input, init);

/** Options for {@link connectMcpToolHost}. */
export interface McpToolHostOptions {
  url: string;
  headers: Record<string, string>;
  /** Per tool call; a call that takes longer becomes an error result. */
  callTimeoutMs?: number;
  clientName?: string;
}

/**
 * A ToolHost over one MCP server connection; close it when evicted. Its `callTool` throws
 * only {@link SessionExpiredError}; every other failure is an error outcome.
 */
export interface McpToolHost extends ToolHost {
  close(): Promise<void>;
}

/** Connects (initialize) to a Streamable HTTP MCP server and exposes it as a ToolHost. */
export async function connectMcpToolHost(options: McpToolHostOptions): Promise<McpToolHost> {
  const client = new Client(
    { name: options.clientName ?? 'confluence-agent-for-slack', version: '0.1.0' },
    { jsonSchemaValidator: validator },
  );
  const transport = new StreamableHTTPClientTransport(new URL(options.url), {
    requestInit: { headers: options.headers },
    fetch: fetchWithoutStandaloneStream,
  });
  await client.connect(transport);
  const timeoutMs = options.callTimeoutMs ?? TOOL_CALL_TIMEOUT_MS;
  return {
    async listTools() {
      const tools: HostTool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : {});
        for (const t of page.tools) {
          // Tools that only run as long-lived MCP tasks cannot be called as plain tool calls.
          if ((t.execution as { taskSupport?: string } | undefined)?.taskSupport === 'required')
            continue;
          tools.push({ name: t.name, description: t.description, inputSchema: t.inputSchema });
        }
        cursor = page.nextCursor;
      } while (cursor);
      return tools;
    },
    async callTool(name, args) {
      try {
        const result = await client.callTool({ name, arguments: args }, undefined, {
          timeout: timeoutMs,
        });
        return toToolOutcome(result as { content?: unknown; isError?: unknown });
      } catch (err) {
        if (isSessionGone(err)) throw new SessionExpiredError({ cause: err });
        // A timed-out call may still complete on the server: say so, so nothing is blindly redone.
        if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
          return errorOutcome(
            `Tool ${name} timed out after ${timeoutMs / 1000} s without an answer. It may still have taken effect: check the current state before trying again.`,
          );
        }
        return errorOutcome(`Tool ${name} failed: ${(err as Error).message}`);
      }
    },
    async close() {
      // End the MCP session on the server too (DELETE), but never wait long for it.
      await Promise.race([
        transport.terminateSession().catch(() => {}),
        new Promise((resolve) => setTimeout(resolve, SESSION_END_WAIT_MS).unref()),
      ]);
      await client.close().catch(() => {});
    },
  };
}
