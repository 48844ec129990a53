/** The ack path's memory of a hanging Redis: one timed-out step, then fail at once until a PING answers. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createStallGuard } from '../../src/store/stall-guard.js';
import { waitUntil } from '../kit/wait.js';

const logger = createLogger({ level: 'silent' });
/** What ioredis rejects a command with once it outlives `commandTimeout`. */
const timedOut = () => Promise.reject(new Error('Command timed out'));

describe('createStallGuard', () => {
  it('after a timed-out step, fails the next ones at once until the probe answers', async () => {
    let redisAnswers = false;
    let probes = 0;
    const guard = createStallGuard(async () => {
      probes += 1;
      if (!redisAnswers) throw new Error('Command timed out');
    }, logger);
    try {
      expect(await guard.run(async () => 'ok')).toBe('ok');
      await expect(guard.run(timedOut)).rejects.toThrow('Command timed out');
      expect(guard.stalled()).toBe(true);
      let ran = false;
      await expect(
        guard.run(async () => {
          ran = true;
        }),
      ).rejects.toMatchObject({ code: 'store_unavailable' });
      expect(ran).toBe(false);
      await waitUntil('a failed probe', () => probes >= 1);
      redisAnswers = true;
      await waitUntil('the stall to end', () => !guard.stalled());
      expect(await guard.run(async () => 'again')).toBe('again');
    } finally {
      guard.close();
    }
  });

  it('other failures (a refused connection, a script error) do not count as a stall', async () => {
    const guard = createStallGuard(async () => {}, logger);
    await expect(
      guard.run(() => Promise.reject(new Error('connect ECONNREFUSED'))),
    ).rejects.toThrow();
    expect(guard.stalled()).toBe(false);
    guard.close();
  });
});
