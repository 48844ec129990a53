import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { withoutPayload } from './sdk-log-lines.js';

const toText = (parts: unknown[]) =>
  withoutPayload(
    parts
      .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p)))
      .join(' '),
  );

/**
 * Adapts our structured logger to the Logger interface Bolt, the Web API client and the Socket
 * Mode client expect. Their lines that carry a payload (request and response bodies, Socket Mode
 * envelopes, acked bodies) are written without it at every level (see sdk-log-lines.ts), so
 * `LOG_LEVEL=debug` or `trace` never puts a message, a `response_url` or a link in the logs.
 */
export function createBoltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  // A line below the level is not even put together: the Web API client writes a debug line
  // with the whole request and response bodies on every call, which would otherwise be
  // serialised and searched for payloads only to be dropped.
  const at =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      if (log.isLevelEnabled(method)) log[method](toText(msg));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
