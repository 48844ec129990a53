/** The benchmark's kill → resumed phase, one round: what it reports is what happened. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppChild, startAppChild } from '../../../bench/app-child.js';
import { createDriver } from '../../../bench/driver.js';
import { benchOptions, parseBenchArgs } from '../../../bench/options.js';
import { userIds } from '../../../bench/phases/context.js';
import { type KillResumeResult, measureKillResume } from '../../../bench/phases/kill-resume.js';
import { killTarget } from '../../../bench/report.js';
import { TurnTracker } from '../../../bench/turn-tracker.js';
import { startUpstreams, type Upstreams } from '../../../bench/upstreams.js';

const FAST = { modelMs: 5, toolMs: 2, composioMs: 2, slackMs: 2 };

describe('bench: kill → resumed', () => {
  let up: Upstreams;
  let app: AppChild;
  let tracker: TurnTracker;
  let result: KillResumeResult;
  beforeAll(async () => {
    up = await startUpstreams();
    app = await startAppChild('ours', up.env({ LOG_LEVEL: 'warn' }));
    tracker = new TurnTracker(up.slack);
    const options = benchOptions({ costLatency: FAST, kills: 1, logLevel: 'warn', out: '' });
    result = await measureKillResume({
      variant: 'ours',
      up,
      app,
      driver: createDriver(up, app, tracker),
      options,
      newUser: userIds(),
      log: () => {},
    });
  }, 90_000);
  afterAll(async () => {
    tracker?.close();
    await app?.stop();
    await up?.close();
  });

  it('resumes the held turn on the other replica and answers it once', () => {
    expect(result.failures).toEqual([]);
    expect(result.appErrors).toEqual({ count: 0, first: [] });
    expect(result.resumed.n).toBe(1);
    expect(result.answered.n).toBe(1);
    // The answer comes after the resumed request it answers.
    expect(result.answered.max).toBeGreaterThan(result.resumed.max);
    // The turn's first request came from one replica, again from the other, then its second.
    const senders = up.anthropic.requests.map((r) => r.via);
    expect(senders).toHaveLength(3);
    expect(senders[1]).not.toBe(senders[0]);
    expect(senders[2]).toBe(senders[1]);
    expect(senders.every((via) => via?.startsWith('kill-r'))).toBe(true);
    const posted = up.slack.calls.filter(
      (c) => c.method === 'chat.stopStream' || c.method === 'chat.postMessage',
    );
    expect(posted).toHaveLength(1);
  });

  it('checks the target against its p50, and misses it when a round did not resume', () => {
    const [check] = killTarget(result);
    expect(check?.target).toBe('kill → resumed p50 ≤ 10 s (default lock settings)');
    expect(check?.value).toMatch(/^[\d.]+ s \(max [\d.]+ s; 1 of 1 resumed\)$/);
    expect(check?.met).toBe(result.resumed.p50 <= 10_000);
    expect(killTarget({ ...result, rounds: 2 })[0]?.met).toBe(false);
    expect(killTarget(undefined)).toEqual([]);
  });

  it('takes --kills, 5 by default and 3 with --quick', () => {
    expect(parseBenchArgs([]).kills).toBe(5);
    expect(parseBenchArgs(['--quick']).kills).toBe(3);
    expect(parseBenchArgs(['--kills', '0']).kills).toBe(0);
  });
});
