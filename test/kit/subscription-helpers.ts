/** Helpers for tests of channel subscriptions: the command, the delivered cards, poll counts. */
import type { Redis } from 'ioredis';
import { SUBSCRIPTION_EVENT } from '../../src/slack/output/slack-subscription-output.js';
import type { FakeSlack, PostedMessage, SlackRequester } from './fake-slack/index.js';
import { waitUntil } from './wait.js';

/** Runs `/confluence <text>` as `user` in `channel`; resolves with the HTTP answer. */
export function runCommand(
  side: { requester: SlackRequester; eventsUrl: string; slack: FakeSlack },
  user: string,
  channel: string,
  text: string,
  responseId: string,
) {
  return side.requester.command(side.eventsUrl, {
    text,
    user_id: user,
    channel_id: channel,
    response_url: side.slack.responseUrl(responseId),
  });
}

/** The subscription deliveries (cards, digests, catch-up lines) posted in a channel. */
export function deliveries(slack: FakeSlack, channel: string): PostedMessage[] {
  return slack
    .messages(channel)
    .filter((m) => m.bot_id && m.metadata?.event_type === SUBSCRIPTION_EVENT);
}

/** The bot's other messages in a channel (confirmations, notices). */
export function notices(slack: FakeSlack, channel: string): string[] {
  return slack
    .messages(channel)
    .filter((m) => m.bot_id && m.metadata?.event_type !== SUBSCRIPTION_EVENT)
    .map((m) => slack.visibleText(m));
}

/** Every content title a channel's deliveries name (cards and digest lines), in order. */
export function deliveredTitles(slack: FakeSlack, channel: string, titles: string[]): string[] {
  const seen: string[] = [];
  for (const m of deliveries(slack, channel)) {
    const text = JSON.stringify(m.blocks ?? m.text);
    for (const t of titles) {
      let at = text.indexOf(`|${t}>`);
      while (at >= 0) {
        seen.push(t);
        at = text.indexOf(`|${t}>`, at + 1);
      }
    }
  }
  return seen;
}

/** The cluster's count of subscription polls so far. */
export async function pollCount(redis: Redis, prefix: string): Promise<number> {
  return Number((await redis.get(`${prefix}:counter:subscription_polls`)) ?? 0);
}

/** How many subscriptions exist under `prefix` (each polls on its own schedule). */
async function subscriptionCount(redis: Redis, prefix: string): Promise<number> {
  let count = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:sub:*`, 'COUNT', 500);
    count += keys.length;
    cursor = next;
  } while (cursor !== '0');
  return count;
}

/**
 * Resolves once at least `n` more polls have run for every subscription there is (so anything
 * due would have been posted): the count is the cluster's, across all of them.
 */
export async function morePolls(redis: Redis, prefix: string, n: number, timeoutMs = 15_000) {
  const [from, subs] = await Promise.all([
    pollCount(redis, prefix),
    subscriptionCount(redis, prefix),
  ]);
  const wanted = from + n * Math.max(1, subs);
  await waitUntil(
    `${n} more polls of each of ${subs} subscriptions`,
    async () => (await pollCount(redis, prefix)) >= wanted,
    timeoutMs,
  );
}
