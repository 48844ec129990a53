/** SPEC §8 "Redis down": a clear "try again", no crash, and recovery by itself. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deferred } from '../durable/durable-kit.js';
import { answerIn, composioUserOf, mention } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { spawnRedis } from '../kit/redis-server.js';
import { captureProcessFaults, errorLines, expectNoSecrets, secretsOf } from './fault-kit.js';

const CHANNEL = 'C0OUTAGE';
const USER = 'U0OUTAGE';

describe('Redis outage', () => {
  let redis: Awaited<ReturnType<typeof spawnRedis>>;
  let h: Harness;
  const process = captureProcessFaults();
  // BullMQ prints errors nobody listens to with console.error: none may reach stderr raw.
  const consoleErrors = vi.spyOn(console, 'error');
  beforeAll(async () => {
    redis = await spawnRedis();
    h = await startHarness({ env: { REDIS_URL: redis.url } });
    h.composio.connect(composioUserOf(h, USER));
    h.anthropic.respondWith((req) => {
      const last = JSON.stringify(req.body.messages.at(-1));
      return { content: [text(`Answered: ${[...last.matchAll(/ask-(\w+)/g)].at(-1)?.[1]}`)] };
    });
  });
  afterAll(async () => {
    await h?.stop();
    await redis?.stop();
    process.stop();
    consoleErrors.mockRestore();
  });

  const readyz = async () => (await fetch(`${h.baseUrl}/readyz`)).status;

  it('says "try again" while Redis is down, stays up, and recovers by itself', async () => {
    const before = await mention(h, { user: USER, channel: CHANNEL, text: 'ask-before' });
    await answerIn(h, CHANNEL, before.threadTs, 'Answered: before');
    expect(await readyz()).toBe(200);

    await redis.stop();
    await vi.waitFor(async () => expect(await readyz()).toBe(503), { timeout: 5_000 });

    const started = Date.now();
    const during = await mention(h, { user: USER, channel: CHANNEL, text: 'ask-during' });
    const reply = await h.waitForBotReply(CHANNEL, during.threadTs, 'try again', 10_000);
    expect(h.slack.visibleText(reply)).toMatch(/conversation store/);
    // The event was acknowledged (mention() checks 200) well within Slack's 3 seconds.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(h.botReplies(CHANNEL, during.threadTs)).toHaveLength(1);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);

    // A slash command has no thread yet: its "try again" reaches the requester privately.
    const cmd = await h.requester.command(h.eventsUrl, {
      text: 'ask-command',
      user_id: USER,
      channel_id: CHANNEL,
      response_url: h.slack.responseUrl('outage-cmd'),
    });
    expect(cmd.status).toBe(200);
    const privately = await h.slack.waitForResponse((r) => r.id === 'outage-cmd');
    expect(JSON.stringify(privately.body)).toMatch(/try again/);
    expect(h.slack.calls.filter((c) => String(c.args.thread_ts ?? '').startsWith('cmd-'))).toEqual(
      [],
    );

    const restarted = await spawnRedis(redis.port);
    redis = restarted;
    await vi.waitFor(async () => expect(await readyz()).toBe(200), { timeout: 10_000 });

    const after = await mention(h, { user: USER, channel: CHANNEL, text: 'ask-after' });
    await answerIn(h, CHANNEL, after.threadTs, 'Answered: after');
    expect(h.botReplies(CHANNEL, after.threadTs)).toEqual(['Answered: after']);
    // The request made during the outage was not run later behind the user's back.
    expect(h.botReplies(CHANNEL, during.threadTs)).toHaveLength(1);
    expect(process.faults).toEqual([]);
    expectNoSecrets(h.logs, secretsOf(h));
  });

  it('a turn in flight when Redis goes away ends with one clear reply, and the thread works after', async () => {
    const hold = deferred();
    const inCall = deferred();
    h.anthropic.respondWith(async (req) => {
      const last = JSON.stringify(req.body.messages.at(-1));
      const ask = [...last.matchAll(/ask-(\w+)/g)].at(-1)?.[1] ?? '?';
      if (ask === 'midturn') {
        inCall.resolve();
        await hold.promise;
      }
      return { content: [text(`Answered: ${ask}`)] };
    });
    const turn = await mention(h, { user: USER, channel: CHANNEL, text: 'ask-midturn' });
    await inCall.promise;
    await redis.stop();
    hold.resolve();
    const reply = await h.waitForBotReply(CHANNEL, turn.threadTs, 'try again', 10_000);
    expect(h.slack.visibleText(reply)).toMatch(/conversation store/);

    // The restarted Redis is empty: the thread's line starts again while the old turn's worker
    // still moves it on; the next message must not be skipped as one already handled.
    redis = await spawnRedis(redis.port);
    await vi.waitFor(async () => expect(await readyz()).toBe(200), { timeout: 10_000 });
    const next = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'ask-next',
      threadTs: turn.threadTs,
    });
    await answerIn(h, CHANNEL, next.threadTs, 'Answered: next');
    await h.state.turnEnded(next.eventId);
    expect(h.botReplies(CHANNEL, turn.threadTs)).toHaveLength(2);
    expect(h.botReplies(CHANNEL, turn.threadTs)[1]).toBe('Answered: next');
    expect(process.faults).toEqual([]);
  });

  it('carries on when Redis drops every connection at once (a failover)', async () => {
    const admin = new Redis(redis.url);
    try {
      await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      const turn = await mention(h, { user: USER, channel: CHANNEL, text: 'ask-failover' });
      await answerIn(h, CHANNEL, turn.threadTs, 'Answered: failover');
      expect(h.botReplies(CHANNEL, turn.threadTs)).toEqual(['Answered: failover']);
    } finally {
      admin.disconnect();
    }
  });

  it('logs the outage once, not once per reconnect attempt, and nothing raw to stderr', () => {
    // One error per refused turn is expected; a reconnect loop logging at error level is not.
    // Expected: the two refused turns (a mention and a command), the turn whose checkpoint
    // failed, and a few from BullMQ's worker (a lock it could not renew while Redis was away,
    // jobs of the emptied Redis gone) — a handful, not one per reconnect attempt.
    const errors = errorLines(h.logs).map(
      (l) => `${l.msg} ${(l.err as { message?: string })?.message}`,
    );
    for (const e of errors)
      expect(e).toMatch(/^(could not accept a turn|turn failed|turn worker error)/);
    expect(errors.filter((e) => e.startsWith('could not accept a turn'))).toHaveLength(2);
    expect(errors.filter((e) => e.startsWith('turn failed')).length).toBeLessThanOrEqual(1);
    expect(errors.filter((e) => e.startsWith('turn worker error')).length).toBeLessThanOrEqual(4);
    // Two outages, seen by the worker and the queue: a few lines, not one per reconnect attempt.
    expect(
      h.logs.filter((l) => /Redis unreachable/.test(String(l.msg))).length,
    ).toBeLessThanOrEqual(6);
    expect(h.logs.some((l) => /Redis reachable again/.test(String(l.msg)))).toBe(true);
    expect(consoleErrors.mock.calls).toEqual([]);
  });
});
