import type { SessionProvider } from '../composio/composio-sessions.js';
import type { Logger } from '../logger.js';
import { METRIC_PREFIX, type Metrics } from '../observability/metrics.js';
import type { Keys } from '../store/keys.js';
import type { KeyValueStore } from '../store/kv.js';
import { createDurableScheduler } from './durable/poll-queue.js';
import { createInProcessScheduler, type PollScheduler } from './poll-scheduler.js';
import { createPoller, type Poll, type SubscriptionCounters } from './poll-subscription.js';
import type { SubscriptionOutput } from './subscription-output.js';
import { createSubscriptionStore } from './subscription-store.js';
import { createSubscriptions, type Subscriptions } from './subscriptions.js';

/** Options for {@link createSubscriptionRuntime}. */
export interface SubscriptionRuntimeOptions {
  kv: KeyValueStore;
  keys: Keys;
  sessions: SessionProvider;
  output: SubscriptionOutput;
  pollMs: number;
  /** With Redis, polls are BullMQ job schedulers shared by every instance. */
  redisUrl?: string;
  /** Whether this instance polls (not a receiver-only one). */
  work: boolean;
  /** Whether a subscription's owner is still in the workspace (see PollDeps.ownerPresent). */
  ownerPresent?: (teamId: string, userId: string) => Promise<boolean>;
  /** The instance's metrics registry: subscriptions, polls, posts and failures are added to it. */
  metrics?: Metrics;
  logger: Logger;
}

/** Subscriptions wired: the use case, its poller, its scheduler and its counters. */
export interface SubscriptionRuntime {
  subscriptions: Subscriptions;
  poll: Poll;
  scheduler: PollScheduler;
  close(): Promise<void>;
}

/** Builds subscriptions over BullMQ (with REDIS_URL) or in-process timers (without). */
export function createSubscriptionRuntime(o: SubscriptionRuntimeOptions): SubscriptionRuntime {
  const store = createSubscriptionStore(o.kv, o.keys);
  const logger = o.logger.child({ component: 'subscriptions' });
  const counters = o.metrics && subscriptionCounters(o.metrics);
  const poll = createPoller({
    store,
    counters,
    ownerPresent: o.ownerPresent,
    kv: o.kv,
    keys: o.keys,
    sessions: o.sessions,
    output: o.output,
    intervalMs: o.pollMs,
    logger,
  });
  const scheduler = o.redisUrl
    ? createDurableScheduler({
        redisUrl: o.redisUrl,
        keys: o.keys,
        poll,
        intervalMs: o.pollMs,
        work: o.work,
        logger,
      })
    : createInProcessScheduler(poll, o.pollMs, logger);
  if (!o.redisUrl)
    logger.warn(
      'Without REDIS_URL subscriptions run in this process only: they are lost if the process stops.',
    );
  const subscriptions = createSubscriptions({
    store,
    sessions: o.sessions,
    scheduler,
    output: o.output,
    logger,
  });
  if (o.metrics) registerSubscriptionGauge(o.metrics, () => scheduler.count());
  return {
    subscriptions,
    poll,
    scheduler,
    close: () => scheduler.close(),
  };
}

/** This instance's poll counters, registered on its metrics registry. */
function subscriptionCounters(metrics: Metrics): SubscriptionCounters {
  const p = METRIC_PREFIX;
  return {
    polls: metrics.counter({
      name: `${p}subscription_polls_total`,
      help: 'Subscription polls this instance ran.',
    }),
    posts: metrics.counter({
      name: `${p}subscription_posts_total`,
      help: 'Messages this instance posted for subscriptions (cards and digests).',
    }),
    failures: metrics.counter({
      name: `${p}subscription_failures_total`,
      help: 'Subscription polls that failed (Confluence or Composio down).',
    }),
  };
}

/** The subscriptions being polled (across the fleet with Redis), read at each scrape. */
function registerSubscriptionGauge(metrics: Metrics, count: () => Promise<number>): void {
  metrics.gauge({
    name: `${METRIC_PREFIX}subscriptions`,
    help: 'Channel subscriptions being polled.',
    async collect() {
      const n = await count().catch(() => undefined);
      if (n !== undefined) this.set(n);
    },
  });
}
