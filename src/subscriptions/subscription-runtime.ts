import type { SessionProvider } from '../composio/composio-sessions.js';
import type { Logger } from '../logger.js';
import type { Keys } from '../store/keys.js';
import type { KeyValueStore } from '../store/kv.js';
import { createDurableScheduler } from './durable/poll-queue.js';
import { createInProcessScheduler, type PollScheduler } from './poll-scheduler.js';
import { createPoller, type Poll } from './poll-subscription.js';
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
  logger: Logger;
}

/** Subscriptions wired: the use case, its poller, its scheduler and its counters. */
export interface SubscriptionRuntime {
  subscriptions: Subscriptions;
  poll: Poll;
  scheduler: PollScheduler;
  /** Plain counters for /metrics: subscriptions, polls, posts, failures. */
  metrics(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Builds subscriptions over BullMQ (with REDIS_URL) or in-process timers (without). */
export function createSubscriptionRuntime(o: SubscriptionRuntimeOptions): SubscriptionRuntime {
  const store = createSubscriptionStore(o.kv, o.keys);
  const logger = o.logger.child({ component: 'subscriptions' });
  const poll = createPoller({
    store,
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
  const counter = async (name: string) => Number((await o.kv.get(o.keys.counter(name))) ?? 0);
  return {
    subscriptions,
    poll,
    scheduler,
    async metrics() {
      return {
        active: await scheduler.count(),
        polls: await counter('subscription_polls'),
        posts: await counter('subscription_posts'),
        failures: await counter('subscription_failures'),
      };
    },
    close: () => scheduler.close(),
  };
}
