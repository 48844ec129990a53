import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { createBoltLogger } from '../../../src/slack/plumbing/bolt-logger.js';

/** Our logger at `level`, with the lines it writes. */
function loggerAt(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level,
    destination: new Writable({
      write: (line, _encoding, done) => done(void lines.push(JSON.parse(String(line)))),
    }),
  });
  return { bolt: createBoltLogger(logger), lines };
}

describe('the Slack SDKs logger', () => {
  // The Web API client writes its request and response bodies at debug on every call.
  it('does not put a line together below the level, and does at it', () => {
    let serialised = 0;
    const body = { toJSON: () => ++serialised && { channel: 'C1' } };
    const info = loggerAt('info');
    info.bolt.debug('http request body', body);
    expect(serialised).toBe(0);
    expect(info.lines).toEqual([]);
    info.bolt.info('listening', body);
    expect(serialised).toBe(1);
    expect(info.lines.map((l) => l.msg)).toEqual(['listening {"channel":"C1"}']);

    const debug = loggerAt('debug');
    debug.bolt.debug('apiCall start', body);
    expect(serialised).toBe(2);
    expect(debug.lines.map((l) => l.msg)).toEqual(['apiCall start {"channel":"C1"}']);
  });
});
