import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServedLog } from '../fake-served.js';
import { type ApiContext, type ApiHandler, fail } from './api.js';
import { parseApiRequest, parseResponseBody, readBody } from './body.js';
import { type FileDownload, serveFile } from './files.js';
import type { Recorder } from './recorder.js';
import type { Args, ResponsePost, SlackCall } from './types.js';

/** A canned failure queued by failNext. */
export interface Failure {
  error: string;
  status?: number;
  retryAfter?: number;
}

/** The mutable state the HTTP listener serves. */
export interface ServerState {
  ctx: ApiContext;
  handlers: Record<string, ApiHandler>;
  calls: Recorder<SlackCall>;
  responses: Recorder<ResponsePost>;
  failures: Map<string, Failure[]>;
  /** Times every exchange (benchmarks). */
  served?: ServedLog;
  /** Delay before every Web API answer, in ms (benchmarks' Slack latency). */
  latencyMs?: number;
  /** Answers to hold back once the call is done (see FakeSlack.holdAnswer). */
  holds: Hold[];
  /** Every GET of a file's bytes. */
  downloads: FileDownload[];
}

/** A call whose answer waits for `gate` after Slack has carried it out. */
export interface Hold {
  method: string;
  /** Held before Slack carries the call out: a caller killed meanwhile never reached Slack. */
  before?: boolean;
  predicate: (c: SlackCall) => boolean;
  reached: (c: SlackCall) => void;
  gate: Promise<void>;
}

/** The bot scopes the fake claims to hold (x-oauth-scopes), as in the app manifest. */
const SCOPES = [
  'app_mentions:read',
  'assistant:write',
  'chat:write',
  'commands',
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
  'im:read',
  'im:write',
  'users:read',
  'users:read.email',
  'files:read',
  'links:read',
  'links:write',
].join(',');

function send(res: ServerResponse, status: number, body: unknown, headers: Args = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Slack's answer for a token: undefined when the token may call this method. */
function tokenError(
  state: ServerState,
  method: string,
  token: string | undefined,
): string | undefined {
  if (token === undefined || token === '') return 'not_authed';
  if (method === 'apps.connections.open') {
    return token.startsWith('xapp-') ? undefined : 'not_allowed_token_type';
  }
  return token === state.ctx.identity.botToken ? undefined : 'invalid_auth';
}

async function answerApi(
  state: ServerState,
  method: string,
  req: IncomingMessage,
  raw: Buffer,
  res: ServerResponse,
  served: { detail?: unknown } = {},
): Promise<void> {
  if (state.latencyMs) await sleep(state.latencyMs);
  const parsed = await parseApiRequest(req, raw).catch(() => undefined);
  const args = parsed?.args ?? {};
  const token = parsed?.token;
  const headers: Args = { 'x-oauth-scopes': SCOPES };
  let status = 200;
  let result: Args;
  const early = state.holds.findIndex(
    (h) => h.before && h.method === method && h.predicate({ method, args, status: 200 }),
  );
  if (early >= 0) {
    const [held] = state.holds.splice(early, 1);
    held!.reached({ method, args, status: 200 });
    await held!.gate;
    if (res.destroyed) return; // the caller died before its request got through
  }
  const failure = state.failures.get(method)?.shift();
  const handler = state.handlers[method];
  if (failure) {
    const limited = failure.retryAfter !== undefined || failure.status === 429;
    status = failure.status ?? (limited ? 429 : 200);
    if (limited) headers['retry-after'] = String(failure.retryAfter ?? 1);
    result = fail(failure.error);
  } else if (!handler) {
    result = fail('unknown_method', { req_method: method });
  } else if (!parsed) {
    result = fail('invalid_json');
  } else {
    const authError = tokenError(state, method, token);
    result = authError ? fail(authError) : runHandler(handler, args, state.ctx);
  }
  const call: SlackCall = { method, args, ...(token !== undefined && { token }), result, status };
  served.detail = call;
  state.calls.push(call);
  const hold = state.holds.findIndex((h) => !h.before && h.method === method && h.predicate(call));
  if (hold >= 0) {
    const [held] = state.holds.splice(hold, 1);
    held!.reached(call);
    await held!.gate;
  }
  // A caller killed while its answer was held is gone: nothing to answer.
  if (!res.destroyed) send(res, status, result, headers);
}

function runHandler(handler: ApiHandler, args: Args, ctx: ApiContext): Args {
  try {
    return handler(args, ctx);
  } catch (error) {
    return fail('internal_error', { detail: String(error) });
  }
}

async function route(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  served?: { detail?: unknown },
): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
  const raw = await readBody(req);
  if (serveFile(state.ctx, req, res, state.downloads)) return;
  const api = /^\/api\/([A-Za-z0-9._-]+)$/.exec(pathname);
  if (api?.[1] && (req.method === 'POST' || req.method === 'GET')) {
    return answerApi(state, api[1], req, raw, res, served);
  }
  const response = /^\/response\/([^/]+)$/.exec(pathname);
  if (response?.[1] && req.method === 'POST') {
    const body = parseResponseBody(req.headers['content-type'], raw);
    state.responses.push({ id: decodeURIComponent(response[1]), body });
    return send(res, 200, { ok: true });
  }
  send(res, 404, { ok: false, error: 'not_found', path: pathname });
}

/** The fake's HTTP request listener: /api/<method>, /response/<id> and files (/files-pri/…). */
export function createListener(state: ServerState): RequestListener {
  return (req, res) => {
    route(state, req, res, state.served?.begin(req, res)).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, { ok: false, error: 'fatal_error', detail: String(error) });
      else res.destroy();
    });
  };
}
