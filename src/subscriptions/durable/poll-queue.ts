/**
 * Subscription polls as BullMQ job schedulers: one scheduler per subscription
 * (`Queue.upsertJobScheduler(id, { every })`), so each is polled once per interval across all
 * instances, and a poll whose worker dies is taken over (stalled-job recovery) by another.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { Keys } from '../../store/keys.js';
import { REDIS_COMMAND_RETRIES } from '../../store/redis-kv.js';
import type { PollScheduler } from '../poll-scheduler.js';
import type { Poll } from '../poll-subscription.js';

/** The queue's name in Redis. */
export const POLL_QUEUE_NAME = 'subscription-polls';
// Polls wait on Confluence: a few at once per instance, well under Confluence's rate limits.
const POLL_CONCURRENCY = 4;
// A poll holds its job this long without renewal; a dead instance's poll is retaken within
// about this (and the next one runs on schedule anyway).
const POLL_LOCK_MS = 10_000;
// Done polls are not kept: the scheduler makes the next. Failed ones a day, to look into.
const FAILED_KEEP_SECONDS = 24 * 3_600;

/** Options for {@link createDurableScheduler}. */
export interface DurableSchedulerOptions {
  redisUrl: string;
  keys: Keys;
  poll: Poll;
  intervalMs: number;
  /** Whether this instance polls (worker and all roles) or only schedules. */
  work: boolean;
  logger: Logger;
}

/** The BullMQ scheduler, polling in this instance when `work`. */
export function createDurableScheduler(o: DurableSchedulerOptions): PollScheduler {
  const producer = new Redis(o.redisUrl, { maxRetriesPerRequest: REDIS_COMMAND_RETRIES });
  producer.on('error', () => {});
  const queue = new Queue<{ id: string }>(POLL_QUEUE_NAME, {
    connection: producer,
    prefix: o.keys.bull(),
  });
  const log = o.logger.child({ component: 'subscription-polls' });
  queue.on('error', (err) => log.warn({ err: { message: err.message } }, 'poll queue error'));
  let worker: Worker<{ id: string }> | undefined;
  let workerConnection: Redis | undefined;
  if (o.work) {
    workerConnection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
    workerConnection.on('error', () => {});
    worker = new Worker<{ id: string }>(
      POLL_QUEUE_NAME,
      async (job) => {
        const outcome = await o.poll(job.data.id);
        if (outcome === 'gone') await queue.removeJobScheduler(job.data.id);
        return outcome;
      },
      {
        connection: workerConnection,
        prefix: o.keys.bull(),
        concurrency: POLL_CONCURRENCY,
        lockDuration: POLL_LOCK_MS,
        stalledInterval: POLL_LOCK_MS / 2,
      },
    );
    worker.on('error', (err) => log.warn({ err: { message: err.message } }, 'poll worker error'));
    worker.on('failed', (job, err) =>
      log.error({ err: { message: err.message }, subscription: job?.data.id }, 'poll failed'),
    );
  }
  return {
    async start(id) {
      await queue.upsertJobScheduler(
        id,
        { every: o.intervalMs },
        {
          name: 'poll',
          data: { id },
          opts: { removeOnComplete: true, removeOnFail: { age: FAILED_KEEP_SECONDS } },
        },
      );
    },
    async stop(id) {
      await queue.removeJobScheduler(id);
    },
    count: () => queue.getJobSchedulersCount(),
    async close() {
      await worker?.close(true).catch(() => {});
      await queue.close().catch(() => {});
      await producer.quit().catch(() => producer.disconnect());
      await workerConnection?.quit().catch(() => workerConnection?.disconnect());
    },
  };
}
