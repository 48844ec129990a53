import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from './wire-errors.js';

/** Largest request body the fake buffers (the API's own limit is 32 MB). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Reads the whole body as UTF-8, or returns null (after draining) when it exceeds MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) chunks.length = 0;
    else chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

/** Node's headers as a flat lower-case record (repeated headers joined with ", "). */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Checks `Authorization: Bearer <key>` (SDK 1.x) or `x-api-key` (older SDKs); returns the 401 message or null. */
export function authProblem(headers: Record<string, string>, apiKey: string): string | null {
  const { authorization, 'x-api-key': xApiKey } = headers;
  if (authorization === undefined && xApiKey === undefined) return 'x-api-key header is required';
  if (authorization !== undefined && authorization !== `Bearer ${apiKey}`) {
    return 'invalid bearer token';
  }
  if (xApiKey !== undefined && xApiKey !== apiKey) return 'invalid x-api-key';
  return null;
}

/** Sends a JSON body unless the client has already gone. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Sends the API's error JSON with a `request-id` header (plus any retry headers). */
export function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, errorBody(type, message, requestId), {
    'request-id': requestId,
    ...headers,
  });
}
