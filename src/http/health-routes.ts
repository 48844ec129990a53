import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyValueStore } from '../store/kv.js';

// A readiness probe must answer within its own timeout (Kubernetes' default is one second):
// a store slower than this counts as down.
const STORE_PING_TIMEOUT_MS = 1_000;

function send(res: ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/**
 * Prometheus text exposition of a flat set of numbers, prefixed `confluence_agent_turns_`; a
 * name already naming its group (`subscriptions_…`) is prefixed `confluence_agent_` only.
 */
export function prometheusText(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      const group = name.startsWith('subscriptions_') ? '' : 'turns_';
      return `confluence_agent_${group}${name.replace(/[^a-z0-9_]/gi, '_')} ${value}`;
    })
    .join('\n')
    .concat('\n');
}

/**
 * Health routes, served in every role and mode: `/healthz` while the process runs, `/readyz`
 * while the store answers, `/metrics` with queue depth when there is a queue.
 */
export function healthRoutes(kv: KeyValueStore, metrics?: () => Promise<Record<string, number>>) {
  return [
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
        const values = metrics ? await metrics().catch(() => ({ unavailable: 1 })) : {};
        send(res, 200, prometheusText(values), 'text/plain; version=0.0.4');
      },
    },
  ];
}
