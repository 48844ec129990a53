/**
 * Issue 12 item 8: a Redis that hangs (SIGSTOP: connections stay open, nothing answers) costs
 * the ack at most one ack-path step (ACK_STEP_TIMEOUT_MS), well within Slack's 3 s, and the
 * requester hears about it once, also when Slack retries the delivery. The bot runs as its own
 * process on a private redis-server: the shared test Redis is never paused.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodedError, userMessageFor } from '../../src/errors.js';
import {
  answered,
  botAnswers,
  type DurableWorld,
  mentionBot,
  startWorld,
} from '../durable/durable-kit.js';
import type { RunningApp } from '../kit/app-process.js';
import { text } from '../kit/fake-anthropic/index.js';
import { spawnRedis } from '../kit/redis-server.js';
import { waitUntil } from '../kit/wait.js';

const CHANNEL = 'C0STALL';
const USER = 'U0STALL';
/** What Slack allows for an ack; the Events API retries a delivery not acked in time. */
const SLACK_ACK_LIMIT_MS = 3_000;
const TRY_AGAIN = userMessageFor(new CodedError('store_unavailable', 'expected'));

describe('Redis hanging (SIGSTOP)', () => {
  let redis: Awaited<ReturnType<typeof spawnRedis>>;
  let w: DurableWorld;
  let app: RunningApp;
  beforeAll(async () => {
    redis = await spawnRedis();
    w = await startWorld();
    app = await w.start('stall', { REDIS_URL: redis.url });
    w.composio.connect(`slack-${w.slack.teamId}-${USER}`);
    w.anthropic.respondWith((req) => {
      const last = JSON.stringify(req.body.messages.at(-1));
      return { content: [text(`Answered: ${[...last.matchAll(/ask-(\w+)/g)].at(-1)?.[1]}`)] };
    });
  });
  afterAll(async () => {
    redis?.process.kill('SIGCONT');
    await w?.close();
    await redis?.stop();
  });

  /** Delivers an app_mention for `message` (again, as Slack's retry `retryNum`); times the ack. */
  async function deliver(
    message: { ts: string; text?: string },
    eventId: string,
    retryNum?: number,
  ) {
    const started = performance.now();
    const res = await w.requester.event(
      app.eventsUrl,
      { type: 'app_mention', user: USER, text: message.text, ts: message.ts, channel: CHANNEL },
      { eventId, ...(retryNum ? { retryNum, retryReason: 'http_timeout' } : {}) },
    );
    return { status: res.status, ackMs: performance.now() - started };
  }

  const post = (words: string) =>
    w.slack.addMessage({ channel: CHANNEL, user: USER, text: `<@${w.slack.botUserId}> ${words}` });

  it('acks within 3 s and tells the requester once, however often Slack retries', async () => {
    // Healthy first: the connections are up and the scripts loaded when Redis stops answering.
    const before = await mentionBot(
      w,
      { eventsUrl: app.eventsUrl, channel: CHANNEL, user: USER },
      'ask-before',
    );
    await answered(w, CHANNEL, before.msg.ts, 'Answered: before');
    const modelCallsBefore = w.anthropic.requests.length;

    const stalled = post('ask-during');
    const another = post('ask-another');
    redis.process.kill('SIGSTOP');
    try {
      const first = await deliver(stalled, 'EvSTALLFIRST');
      expect(first.status).toBe(200);
      expect(first.ackMs).toBeLessThan(SLACK_ACK_LIMIT_MS);
      // The listener ran before the 200 (processBeforeResponse): the notice is already there.
      expect(botAnswers(w, CHANNEL, stalled.ts)).toEqual([TRY_AGAIN]);

      // Slack's retries of the same delivery: acked, and no second notice.
      for (const retryNum of [1, 2, 3]) {
        const retry = await deliver(stalled, 'EvSTALLFIRST', retryNum);
        expect(retry.status).toBe(200);
        expect(retry.ackMs).toBeLessThan(SLACK_ACK_LIMIT_MS);
      }
      expect(botAnswers(w, CHANNEL, stalled.ts)).toEqual([TRY_AGAIN]);

      // Another request meanwhile: its own single notice, without waiting out a timeout again.
      const other = await deliver(another, 'EvSTALLOTHER');
      expect(other.status).toBe(200);
      expect(other.ackMs).toBeLessThan(SLACK_ACK_LIMIT_MS);
      expect(botAnswers(w, CHANNEL, another.ts)).toEqual([TRY_AGAIN]);

      // A slash command: told through its response_url, whose uses cannot be counted now.
      const started = performance.now();
      const command = await w.requester.command(app.eventsUrl, {
        text: 'ask-command',
        user_id: USER,
        channel_id: CHANNEL,
        response_url: w.slack.responseUrl('stalled-command'),
      });
      expect(command.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(SLACK_ACK_LIMIT_MS);
      const told = w.slack.responses.filter((r) => r.id === 'stalled-command');
      expect(told.map((r) => r.body.text)).toEqual([TRY_AGAIN]);
    } finally {
      redis.process.kill('SIGCONT');
    }

    // Redis answers again: the next request is served, and nothing told "try again" ran later.
    await waitUntil('readiness', async () => (await fetch(`${app.baseUrl}/readyz`)).status === 200);
    const after = await mentionBot(
      w,
      { eventsUrl: app.eventsUrl, channel: CHANNEL, user: USER },
      'ask-after',
    );
    await answered(w, CHANNEL, after.msg.ts, 'Answered: after');
    expect(w.anthropic.requests.length).toBe(modelCallsBefore + 1);
    expect(botAnswers(w, CHANNEL, stalled.ts)).toEqual([TRY_AGAIN]);
    expect(botAnswers(w, CHANNEL, another.ts)).toEqual([TRY_AGAIN]);
  });
});
