import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../logger.js';

const toText = (parts: unknown[]) =>
  parts
    .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p)))
    .join(' ');

/**
 * The Web API client's debug lines that carry whole request and response bodies: messages,
 * thread contents, e-mails, connect links. Never written, at any level.
 */
const BODY_LINE = /^http (request body|request result|response body)/;

/** Adapts our structured logger to the Logger interface Bolt and the Web API client expect. */
export function createBoltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => {
      const text = toText(msg);
      if (!BODY_LINE.test(text)) log.debug(text);
    },
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
