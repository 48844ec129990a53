/** SPEC §8 "two messages in one thread at once (any replica)": one after the other, all kept, in order. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composioUserOf } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { testRedisUrl } from '../kit/redis.js';
import { waitUntil } from '../kit/wait.js';
import {
  askedTag,
  errorLines,
  expectNoSecrets,
  mentionMessage,
  secretsOf,
  storedHistory,
  typedRequests,
} from './fault-kit.js';

const CHANNEL = 'C0ORDER';
const USER = 'U0ORDER';

describe('several messages in one thread at once, sent to two replicas', () => {
  let h: Harness;
  let b: Awaited<ReturnType<Harness['startSecondApp']>>;
  let redis: Redis;
  /** Per model request: what it asked, and which earlier answers its history already held. */
  const seen: Array<{ tag: string; answersBefore: string[] }> = [];
  beforeAll(async () => {
    h = await startHarness();
    b = await h.startSecondApp();
    redis = new Redis(testRedisUrl());
    h.composio.connect(composioUserOf(h, USER));
    h.anthropic.respondWith((req) => {
      const tag = askedTag(req.body);
      const earlier = JSON.stringify(req.body.messages.slice(0, -1));
      seen.push({
        tag,
        answersBefore: [...earlier.matchAll(/Answer to ([\w-]+)\./g)].map((m) => m[1]!),
      });
      // A little model latency, so turns that overlapped would show it.
      return { content: [text(`Answer to ${tag}.`)], delayMs: 30 };
    });
  });
  afterAll(async () => {
    await h?.stop();
    expectNoSecrets(h.logs, secretsOf(h));
    await redis.quit();
  });

  /** The ticket (place in its thread's line) the app gave a Slack event. */
  const ticketOf = async (eventId: string) =>
    Number(await redis.get(`${h.keyPrefix}:ticket:turn-${eventId}`));

  it('runs them one at a time, in arrival order, and keeps every exchange in the history', async () => {
    const root = mentionMessage(h, { user: USER, channel: CHANNEL, text: 'msg-root' });
    const rootSent = await h.requester.event(h.eventsUrl, root.event);
    const threadTs = root.threadTs;
    const burst = Array.from({ length: 8 }, (_, i) =>
      mentionMessage(h, { user: USER, channel: CHANNEL, text: `msg-m${i}`, threadTs }),
    );
    // All at once, alternating replicas: their order is the order Redis gave them tickets.
    const sent = await Promise.all(
      burst.map((m, i) => h.requester.event(i % 2 ? b.eventsUrl : h.eventsUrl, m.event)),
    );
    expect(sent.every((r) => r.status === 200)).toBe(true);
    // Then some in sequence, each acknowledged before the next is sent: they keep that order.
    const sequence: string[] = [];
    for (let i = 0; i < 4; i++) {
      const m = mentionMessage(h, { user: USER, channel: CHANNEL, text: `msg-s${i}`, threadTs });
      const r = await h.requester.event(i % 2 ? h.eventsUrl : b.eventsUrl, m.event);
      sequence.push(r.eventId);
    }

    const total = 1 + burst.length + sequence.length;
    const answered = () =>
      h.botReplies(CHANNEL, threadTs).filter((r) => /^Answer to [\w-]+\.$/.test(r)).length;
    await h.slack.waitForCall(() => answered() >= total, 20_000);

    const runOrder = seen.map((s) => s.tag);
    const byTicket = [
      { id: rootSent.eventId, tag: 'root' },
      ...sent.map((r, i) => ({ id: r.eventId, tag: `m${i}` })),
      ...sequence.map((id, i) => ({ id, tag: `s${i}` })),
    ];
    const tickets = await Promise.all(byTicket.map((e) => ticketOf(e.id)));
    const expectedOrder = byTicket
      .map((e, i) => ({ ...e, ticket: tickets[i]! }))
      .sort((x, y) => x.ticket - y.ticket)
      .map((e) => e.tag);
    expect(new Set(tickets).size).toBe(total);
    expect(runOrder).toEqual(expectedOrder);
    expect(runOrder.slice(-4)).toEqual(['s0', 's1', 's2', 's3']);
    // One at a time: every turn saw the answers of all the turns before it, and no others.
    seen.forEach((s, i) => {
      expect(s.answersBefore).toEqual(runOrder.slice(0, i));
    });
    // Every event answered exactly once, in the same order.
    expect(h.botReplies(CHANNEL, threadTs)).toEqual(runOrder.map((t) => `Answer to ${t}.`));
    // The stored history holds every request and answer, in order.
    const history = await storedHistory(redis, h.keyPrefix, {
      teamId: h.slack.teamId,
      channel: CHANNEL,
      threadTs,
    });
    const asked = typedRequests(history).map((t) => [...t.matchAll(/msg-([\w-]+)/g)].at(-1)?.[1]);
    expect(asked).toEqual(runOrder);
    expect(errorLines(h.logs)).toEqual([]);
  });

  it('moves past a line holder whose job is gone, instead of blocking the thread for ever', async () => {
    const root = mentionMessage(h, { user: USER, channel: CHANNEL, text: 'msg-p0' });
    // A holder that took the head ticket, then vanished with its job (lost, or removed).
    const thread = `${h.slack.teamId}:${CHANNEL}:${root.threadTs}`;
    await redis.eval(
      "redis.call('SET', KEYS[1], 1); redis.call('HSET', KEYS[2], 1, 'turn-vanished'); return 1",
      2,
      `${h.keyPrefix}:line:${thread}:seq`,
      `${h.keyPrefix}:line:${thread}:slots`,
    );
    const sent = await h.requester.event(b.eventsUrl, root.event);
    expect(await ticketOf(sent.eventId)).toBe(2);
    await h.slack.waitForCall(
      () => h.botReplies(CHANNEL, root.threadTs).includes('Answer to p0.'),
      15_000,
    );
    expect(h.botReplies(CHANNEL, root.threadTs)).toEqual(['Answer to p0.']);
    // The line moved past the vanished holder (ticket 1) and then past this turn (ticket 2).
    const head = `${h.keyPrefix}:line:${thread}:head`;
    await waitUntil(
      'the line to move past both tickets',
      async () => (await redis.get(head)) === '3',
    );
  }, 30_000);
});
