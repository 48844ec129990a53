import type { IncomingMessage } from 'node:http';
import type { Args } from './types.js';

/** Argument names whose values are plain text even when they look like JSON. */
const TEXT_KEYS = new Set([
  'text',
  'markdown_text',
  'status',
  'name',
  'title',
  'query',
  'username',
]);

/** Reads a request body completely. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Turns a form value back into what the client serialised (WebClient JSON-encodes nested values). */
function decodeFormValue(key: string, value: string): unknown {
  if (TEXT_KEYS.has(key) || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Web API arguments from query string + form, JSON or multipart body; `token` is split off. */
export async function parseApiRequest(
  req: IncomingMessage,
  raw: Buffer,
): Promise<{ args: Args; token?: string }> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const args: Args = {};
  for (const [key, value] of url.searchParams) args[key] = decodeFormValue(key, value);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const text = raw.toString('utf8');
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) Object.assign(args, parsed);
  } else if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': req.headers['content-type'] ?? '' },
    }).formData();
    for (const [key, value] of form) {
      args[key] =
        typeof value === 'string'
          ? decodeFormValue(key, value)
          : { filename: value.name, size: value.size, type: value.type };
    }
  } else if (text !== '') {
    for (const [key, value] of new URLSearchParams(text)) args[key] = decodeFormValue(key, value);
  }
  const header = req.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1];
  const bodyToken = typeof args.token === 'string' ? args.token : undefined;
  delete args.token;
  const token = bearer ?? bodyToken;
  return token === undefined ? { args } : { args, token };
}

/** A response_url body: JSON, a form `payload`, or the raw text. */
export function parseResponseBody(contentType: string | undefined, raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
      const payload = new URLSearchParams(text).get('payload');
      return payload === null ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(payload);
    }
    return JSON.parse(text);
  } catch {
    return text;
  }
}
