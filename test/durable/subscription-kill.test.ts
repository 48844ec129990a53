/**
 * Subscriptions across instances (src/subscriptions/durable): two app processes poll one
 * subscription through BullMQ job schedulers; one is SIGKILLed between polls, and every change
 * is still posted exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../kit/app-process.js';
import { deliveredTitles, morePolls, notices, runCommand } from '../kit/subscription-helpers.js';
import { waitUntil } from '../kit/wait.js';
import { type DurableWorld, startWorld } from './durable-kit.js';

const ANA = 'U0KILLANA';
const CHANNEL = 'C0KILLSUBS';
const POLL = { SUBSCRIPTION_POLL_SECONDS: '0.4' };

describe('subscriptions on two instances, one killed', () => {
  let w: DurableWorld;
  let a: RunningApp;
  let b: RunningApp;
  beforeAll(async () => {
    w = await startWorld();
    [a, b] = await Promise.all([w.start('a', POLL), w.start('b', POLL)]);
  });
  afterAll(() => w?.close());

  it('misses no change and posts none twice', async () => {
    const owner = `slack-${w.slack.teamId}-${ANA}`;
    w.composio.connect(owner);
    await runCommand({ ...w, eventsUrl: a.eventsUrl }, ANA, CHANNEL, 'subscribe MKT', 'kill');
    await waitUntil('the confirmation', () =>
      notices(w.slack, CHANNEL).some((n) => n.includes('subscribed this channel')),
    );
    const titles: string[] = [];
    const add = (title: string) => {
      titles.push(title);
      w.composio.confluence.addContent(owner, 'MKT', { title });
    };
    add('Before Kill 1');
    add('Before Kill 2');
    await waitUntil(
      'the first changes',
      () => deliveredTitles(w.slack, CHANNEL, titles).length === 2,
    );
    // Both instances took polls before the kill (the scheduler's jobs go to either).
    await morePolls(w.redis, w.prefix, 4);
    a.kill('SIGKILL');
    await a.exited;
    add('After Kill 1');
    add('After Kill 2');
    add('After Kill 3');
    await waitUntil(
      'every change posted',
      () => deliveredTitles(w.slack, CHANNEL, titles).length >= titles.length,
      20_000,
    );
    await morePolls(w.redis, w.prefix, 5);
    expect(deliveredTitles(w.slack, CHANNEL, titles).sort()).toEqual([...titles].sort());
    expect(b.child.exitCode).toBeNull();
  });
});
