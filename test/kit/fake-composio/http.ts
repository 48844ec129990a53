/** Small node:http helpers shared by the fake's REST and MCP handlers. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Thrown by readJson when a request body is not valid JSON. */
export class BadJsonError extends Error {}

/** Reads the whole request body and parses it as JSON (undefined when empty). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadJsonError('Request body is not valid JSON');
  }
}

/** Writes a JSON response; extra headers are merged in. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A Composio-style REST error body (`{ error: { message, code, status, … } }`). */
export function composioError(status: number, message: string, slug = 'Error'): unknown {
  return {
    error: {
      message,
      code: status * 10,
      slug,
      status,
      request_id: newId('req_'),
      suggested_fix: '',
      errors: [],
    },
  };
}

/** A JSON-RPC error body as the MCP server transport writes it. */
export function jsonRpcError(code: number, message: string): unknown {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

/** A random id with the given prefix, e.g. `trs_1a2b3c4d5e6f`. */
export function newId(prefix: string, bytes = 6): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

/** Resolves after `ms` milliseconds (immediately when ms <= 0). */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The first value of a possibly repeated request header. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
