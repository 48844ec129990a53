import type { Logger } from '../logger.js';
import type { Poll } from './poll-subscription.js';

/** Runs each subscription's poll once per interval (BullMQ with Redis, timers without). */
export interface PollScheduler {
  /** Starts (or keeps) polling a subscription; idempotent. */
  start(id: string): Promise<void>;
  stop(id: string): Promise<void>;
  /** Subscriptions being polled, for the metrics. */
  count(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Polls in this process on timers (without REDIS_URL): subscriptions live only as long as the
 * process, like turns there. One poll of a subscription at a time.
 */
export function createInProcessScheduler(
  poll: Poll,
  intervalMs: number,
  logger: Logger,
): PollScheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<string>();
  const stop = async (id: string) => {
    clearInterval(timers.get(id));
    timers.delete(id);
  };
  const tick = async (id: string) => {
    if (running.has(id)) return;
    running.add(id);
    try {
      if ((await poll(id)) === 'gone') await stop(id);
    } catch (err) {
      logger.error({ err, subscription: id }, 'subscription poll crashed');
    } finally {
      running.delete(id);
    }
  };
  return {
    async start(id) {
      if (timers.has(id)) return;
      const timer = setInterval(() => void tick(id), intervalMs);
      timer.unref();
      timers.set(id, timer);
    },
    stop,
    count: async () => timers.size,
    async close() {
      for (const id of [...timers.keys()]) await stop(id);
    },
  };
}
