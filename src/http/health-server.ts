import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One GET route such as `/healthz`, in the shape Bolt's `customRoutes` also take. */
export interface HealthRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

/** A running health server. */
export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

function respond(routes: HealthRoute[], req: IncomingMessage, res: ServerResponse): void {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const route = routes.find((r) => r.path === pathname);
  if (!route) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false}');
    return;
  }
  if (!route.method.includes(req.method ?? '')) {
    res.writeHead(405, { allow: route.method.join(', ') }).end();
    return;
  }
  Promise.resolve(route.handler(req, res)).catch(() => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
}

/**
 * Serves the health routes on host:port in Socket Mode, where no HTTP receiver runs. Bolt's
 * Socket Mode receiver can serve custom routes but binds every interface, not HOST.
 */
export async function startHealthServer(
  routes: HealthRoute[],
  port: number,
  host: string,
): Promise<HealthServer> {
  const server = createServer((req, res) => respond(routes, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
