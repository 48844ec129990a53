import type { Logger } from '../../logger.js';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** True for errors that only say Redis cannot be reached right now (it reconnects by itself). */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  const message = err instanceof Error ? err.message : String(err);
  return /connection is closed|max retries per request|connect E|Command timed out/i.test(message);
}

/** Reports errors of a BullMQ object and the Redis connection under it. */
export interface OutageLog {
  /** For `error` events: an outage is logged once (warn), other errors each time (error). */
  error(err: unknown): void;
  /** For the connection's `ready` event: logs the end of an outage. */
  ready(): void;
}

/**
 * Logs a Redis outage once when it starts and once when it ends, instead of an error line for
 * every failed reconnect attempt (several a second, for as long as Redis is down).
 */
export function createOutageLog(log: Logger, what: string): OutageLog {
  let down = false;
  return {
    error(err) {
      if (!isConnectionError(err)) {
        log.error({ err }, `${what} error`);
        return;
      }
      if (!down)
        log.warn({ err: { message: (err as Error)?.message } }, `${what}: Redis unreachable`);
      down = true;
    },
    ready() {
      if (down) log.info(`${what}: Redis reachable again`);
      down = false;
    },
  };
}
