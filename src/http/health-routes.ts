import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { KeyValueStore } from '../store/kv.js';
import type { UsageStore } from '../store/usage.js';

// A readiness probe must answer within its own timeout (Kubernetes' default is one second):
// a store slower than this counts as down.
const STORE_PING_TIMEOUT_MS = 1_000;

function send(res: ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** What the health routes serve besides liveness and readiness. */
export interface HealthOptions {
  /** The process's metrics registry, served on `/metrics`. */
  registry: Registry;
  /** The operator view `/admin/usage`, behind a bearer token; absent: that route is off. */
  operator?: { token: string; usage: Pick<UsageStore, 'top'> };
}

/** Operators ask for at most this many users at once. */
const TOP_USERS_MAX = 100;

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * Health routes, served in every role and mode: `/healthz` while the process runs, `/readyz`
 * while the store answers, `/metrics` (Prometheus text from the registry), and, with an
 * operator token, `/admin/usage` (this month's top users by cost; `?limit=`, at most 100).
 */
export function healthRoutes(kv: KeyValueStore, options: HealthOptions) {
  const { registry, operator } = options;
  const routes = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) =>
        send(res, 200, JSON.stringify({ ok: true })),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        const ready = await Promise.race([
          kv.ping().then(
            () => true,
            () => false,
          ),
          new Promise<boolean>((resolve) =>
            setTimeout(resolve, STORE_PING_TIMEOUT_MS, false).unref(),
          ),
        ]);
        send(res, ready ? 200 : 503, JSON.stringify({ ok: ready, store: ready ? 'up' : 'down' }));
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        send(res, 200, await registry.metrics(), registry.contentType);
      },
    },
  ];
  if (!operator) return routes;
  return [
    ...routes,
    {
      path: '/admin/usage',
      method: ['GET'],
      handler: async (req: IncomingMessage, res: ServerResponse) => {
        if (!bearerMatches(req, operator.token)) {
          res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
          return;
        }
        const asked = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('limit') ?? 20);
        const limit = Number.isInteger(asked) ? Math.min(Math.max(asked, 1), TOP_USERS_MAX) : 20;
        const users = await operator.usage.top(limit);
        const month = new Date().toISOString().slice(0, 7);
        send(res, 200, JSON.stringify({ month, users }));
      },
    },
  ];
}
