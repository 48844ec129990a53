import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServedLog } from '../fake-served.js';
import {
  authProblem,
  flattenHeaders,
  MAX_BODY_BYTES,
  readBody,
  sendError,
  sendJson,
} from './http.js';
import { newId } from './ids.js';
import { buildMessage, formatSse, streamEvents } from './render.js';
import type { FakeAnthropic, ModelStep, RecordedRequest, Responder } from './types.js';
import { createCacheLedger } from './usage.js';
import { validateMessagesRequest } from './validate.js';
import { defaultErrorMessage, errorBody, errorTypeFor } from './wire-errors.js';

const MESSAGES_PATH = '/v1/messages';
/** A base URL of `<url>/via/<name>` tags each request with `name` (which process sent it). */
const VIA_PREFIX = /^\/via\/([\w-]+)(\/.*)$/;
const DEFAULT_WAIT_MS = 5_000;
// Failures that are the test's own fault must not be retried by the SDK.
const DO_NOT_RETRY = { 'x-should-retry': 'false' };

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

/** Starts a fake Anthropic Messages API on 127.0.0.1 (random port) for the real SDK to call. */
export async function startFakeAnthropic(opts: { apiKey?: string } = {}): Promise<FakeAnthropic> {
  const apiKey = opts.apiKey ?? `sk-ant-fake-${randomBytes(12).toString('hex')}`;
  const requests: RecordedRequest[] = [];
  const queue: ModelStep[] = [];
  const waiters = new Set<Waiter>();
  const ledger = createCacheLedger();
  const closing = new AbortController();
  let responder: Responder | undefined;
  const served = new ServedLog('anthropic');
  let latencyMs = 0;

  const nextStep = async (index: number): Promise<ModelStep | undefined> =>
    queue.shift() ?? (responder ? await responder(requests[index]!, index) : undefined);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newId('req');
    const fail = (
      status: number,
      type: string,
      message: string,
      headers?: Record<string, string>,
    ) => sendError(res, status, type, message, requestId, headers);
    const raw = await readBody(req);
    const fullPath = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const routed = VIA_PREFIX.exec(fullPath);
    const path = routed?.[2] ?? fullPath;
    if (path !== MESSAGES_PATH) return fail(404, 'not_found_error', `Not found: ${path}`);
    if (req.method !== 'POST')
      return fail(405, 'invalid_request_error', `${req.method} not allowed`);
    if (raw === null) {
      return fail(413, 'request_too_large', `Request exceeds ${MAX_BODY_BYTES} bytes.`);
    }

    const parsed = parseJson(raw);
    const headers = flattenHeaders(req.headers);
    requests.push({
      headers,
      body: parsed.ok ? parsed.value : raw,
      ...(routed ? { via: routed[1] } : {}),
    });
    const index = requests.length - 1;
    for (const waiter of waiters) waiter.check();

    const denied = authProblem(headers, apiKey);
    if (denied) return fail(401, 'authentication_error', denied);
    if (!headers['anthropic-version']) {
      return fail(400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    if (!parsed.ok) {
      return fail(
        400,
        'invalid_request_error',
        `The request body is not valid JSON: ${parsed.error}`,
      );
    }
    const invalid = validateMessagesRequest(parsed.value);
    if (invalid) return fail(400, 'invalid_request_error', invalid);

    const body = parsed.value as Record<string, unknown>;
    const step = await nextStep(index);
    if (!step) {
      const message =
        `fake-anthropic: the test script ran out — request #${index + 1} arrived with no ` +
        'scripted step left and no responder (use fake.script(...) or fake.respondWith(...))';
      return fail(500, 'api_error', message, DO_NOT_RETRY);
    }
    if ('error' in step) {
      const { status, retryAfterMs } = step.error;
      const type = step.error.type ?? errorTypeFor(status);
      const retry: Record<string, string> =
        retryAfterMs === undefined
          ? {}
          : {
              'retry-after-ms': String(retryAfterMs),
              'retry-after': String(Math.ceil(retryAfterMs / 1000)),
            };
      return fail(status, type, step.error.message ?? defaultErrorMessage(type), retry);
    }

    const streaming = body.stream === true;
    const breakAfter = 'streamErrorAfter' in step ? step.streamErrorAfter : undefined;
    if (breakAfter !== undefined && !streaming) {
      const message = 'fake-anthropic: a streamErrorAfter step needs a streaming request';
      return fail(500, 'api_error', message, DO_NOT_RETRY);
    }
    const stopReason = 'stop_reason' in step ? step.stop_reason : undefined;
    const message = buildMessage(step.content, stopReason, body, ledger.account(body));
    const delayMs = ('delayMs' in step ? step.delayMs : undefined) ?? latencyMs;
    if (delayMs) await sleep(delayMs, undefined, { signal: closing.signal });
    if (!streaming) return sendJson(res, 200, message, { 'request-id': requestId });

    if (res.destroyed) return;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': requestId,
    });
    const events = streamEvents(message);
    for (const event of events.slice(0, breakAfter ?? events.length)) res.write(formatSse(event));
    if (breakAfter !== undefined) {
      const data = errorBody(
        'overloaded_error',
        defaultErrorMessage('overloaded_error'),
        requestId,
      );
      res.write(formatSse({ event: 'error', data }));
    }
    res.end();
  };

  const server = createServer((req, res) => {
    served.begin(req, res);
    handle(req, res).catch((error: unknown) => {
      if (closing.signal.aborted || res.headersSent) return void res.destroy();
      const reason = error instanceof Error ? error.message : String(error);
      sendError(res, 500, 'api_error', `fake-anthropic: ${reason}`, newId('req'), DO_NOT_RETRY);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    script: (...steps) => void queue.push(...steps),
    respondWith: (next) => {
      responder = next;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    onServed: (listener) => served.on(listener),
    waitForRequests: (n, timeoutMs = DEFAULT_WAIT_MS) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const got = requests.length;
          waiter.fail(
            new Error(`fake-anthropic: waited ${timeoutMs} ms for ${n} requests, got ${got}`),
          );
        }, timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        const waiter: Waiter = {
          check: () => {
            if (requests.length < n) return;
            settle();
            resolve();
          },
          fail: (error) => {
            settle();
            reject(error);
          },
        };
        waiters.add(waiter);
        waiter.check();
      }),
    close: async () => {
      if (closing.signal.aborted) return;
      closing.abort();
      for (const waiter of waiters) waiter.fail(new Error('fake-anthropic: closed'));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
