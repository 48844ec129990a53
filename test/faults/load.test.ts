/** A bounded load test: two replicas on one Redis, many threads, injected Slack retries. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composioUserOf } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { testRedisUrl } from '../kit/redis.js';
import {
  askedTag,
  errorLines,
  expectNoSecrets,
  mentionMessage,
  secretsOf,
  storedHistory,
  typedRequests,
} from './fault-kit.js';

const THREADS = 15;
const PER_THREAD = 10;
/** Every fifth message is delivered again (as Slack's retry) to the other replica. */
const RETRY_EVERY = 5;
const CHANNEL = 'C0LOAD';

describe('load: 150 messages in 15 threads, 20% retried, on two replicas', () => {
  let h: Harness;
  let b: Awaited<ReturnType<Harness['startSecondApp']>>;
  let redis: Redis;
  beforeAll(async () => {
    h = await startHarness({ env: { LOG_LEVEL: 'info' } });
    b = await h.startSecondApp();
    redis = new Redis(testRedisUrl());
    h.anthropic.respondWith((req) => ({ content: [text(`Answer to ${askedTag(req.body)}.`)] }));
  });
  afterAll(async () => {
    await h?.stop();
    await redis.quit();
  });

  it('answers every message exactly once and keeps every thread complete and in order', async () => {
    const users = Array.from({ length: 5 }, (_, i) => `U0LOAD${i}`);
    for (const user of users) h.composio.connect(composioUserOf(h, user));
    const urls = [h.eventsUrl, b.eventsUrl];
    let deliveries = 0;

    /** Sends one thread's messages in order (each acknowledged before the next). */
    async function runThread(t: number): Promise<string> {
      let threadTs: string | undefined;
      const retries: Array<Promise<unknown>> = [];
      for (let i = 0; i < PER_THREAD; i++) {
        const n = t * PER_THREAD + i;
        const m = mentionMessage(h, {
          user: users[n % users.length]!,
          channel: CHANNEL,
          text: `msg-t${t}-${i}`,
          threadTs,
        });
        threadTs ??= m.threadTs;
        const sent = await h.requester.event(urls[n % 2]!, m.event);
        expect(sent.status).toBe(200);
        deliveries += 1;
        if (n % RETRY_EVERY === 0) {
          deliveries += 1;
          retries.push(
            h.requester.event(urls[(n + 1) % 2]!, m.event, {
              eventId: sent.eventId,
              retryNum: 1,
              retryReason: 'http_timeout',
            }),
          );
        }
      }
      expect(
        (await Promise.all(retries)).every((r) => (r as { status: number }).status === 200),
      ).toBe(true);
      return threadTs!;
    }

    const started = Date.now();
    const threads = await Promise.all(Array.from({ length: THREADS }, (_, t) => runThread(t)));
    expect(deliveries).toBe(THREADS * PER_THREAD * (1 + 1 / RETRY_EVERY));

    const expected = (t: number) =>
      Array.from({ length: PER_THREAD }, (_, i) => `Answer to t${t}-${i}.`);
    const done = () =>
      threads.every(
        (ts) =>
          h.botReplies(CHANNEL, ts).filter((r) => r.startsWith('Answer to ')).length >=
            PER_THREAD && h.slack.messages(CHANNEL, ts).every((m) => m.streaming !== true),
      );
    await h.slack.waitForCall(done, 45_000);
    const elapsed = Date.now() - started;

    threads.forEach((ts, t) => {
      expect(h.botReplies(CHANNEL, ts), `thread ${t}`).toEqual(expected(t));
    });
    expect(h.anthropic.requests).toHaveLength(THREADS * PER_THREAD);
    for (const [t, ts] of threads.entries()) {
      const history = await storedHistory(redis, h.keyPrefix, {
        teamId: h.slack.teamId,
        channel: CHANNEL,
        threadTs: ts,
      });
      const asked = typedRequests(history).map(
        (q) => [...q.matchAll(/msg-(t[\d-]+)/g)].at(-1)?.[1],
      );
      expect(asked, `thread ${t}`).toEqual(
        expected(t).map((a) => a.slice('Answer to '.length, -1)),
      );
    }
    expect(errorLines(h.logs)).toEqual([]);
    expectNoSecrets(h.logs, secretsOf(h));
    console.log(`load: ${deliveries} deliveries answered in ${elapsed} ms`);
  }, 60_000);
});
