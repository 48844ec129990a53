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
  return {
    debug: (...msg) => log.debug(toText(msg)),
    info: (...msg) => log.info(toText(msg)),
    warn: (...msg) => log.warn(toText(msg)),
    error: (...msg) => log.error(toText(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
