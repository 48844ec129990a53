import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { Keys } from '../../store/keys.js';
import type { TurnDispatcher } from '../dispatcher.js';
import type { TurnRunner } from '../run-turn.js';
import type { DurableOptions } from './options.js';
import { TurnQueue } from './turn-queue.js';
import { startTurnWorker, type TurnNotices } from './turn-worker.js';

/** Options for {@link createDurableDispatcher}. */
export interface DurableDispatcherOptions {
  redisUrl: string;
  keys: Keys;
  runner: TurnRunner;
  notices: TurnNotices;
  options: DurableOptions;
  /** Whether this process runs turns (`worker` and `all` roles) or only enqueues them. */
  work: boolean;
  logger: Logger;
}

/** A dispatcher over BullMQ, with queue depth for the metrics endpoint. */
export interface DurableDispatcher extends TurnDispatcher {
  metrics(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * Turns as durable jobs: each accepted turn is on the queue before Slack's ack returns, and
 * workers in every instance run them; a turn whose worker dies is resumed by another.
 */
export function createDurableDispatcher(o: DurableDispatcherOptions): DurableDispatcher {
  // BullMQ's blocking worker connection must retry forever; the producer fails fast instead.
  const producer = new Redis(o.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 5_000 });
  producer.on('error', () => {});
  const queue = new TurnQueue(producer, o.keys);
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  if (o.work) {
    workerConnection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
    workerConnection.on('error', () => {});
    worker = startTurnWorker({
      connection: workerConnection,
      keys: o.keys,
      queue,
      runner: o.runner,
      notices: o.notices,
      options: o.options,
      logger: o.logger,
    });
  }
  let accepting = true;

  return {
    async submit(job) {
      if (!accepting) throw new Error('shutting down: not accepting new turns');
      await queue.add(job);
    },
    async drain(timeoutMs) {
      accepting = false;
      if (!worker) return { unfinished: 0 };
      // Stop taking jobs; let active ones finish within the bound. Any left unfinished keep
      // their checkpoints and are taken over by another instance once their lock lapses.
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(resolve, timeoutMs, 'timeout');
      });
      const closing = worker.close();
      const outcome = await Promise.race([closing.then(() => 'closed' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        await worker.close(true);
        return { unfinished: 1 };
      }
      return { unfinished: 0 };
    },
    async metrics() {
      const counts = await queue.counts();
      const recovered = Number((await producer.get(o.keys.counter('recovered'))) ?? 0);
      return { ...counts, recovered };
    },
    async close() {
      accepting = false;
      await worker?.close(true).catch(() => {});
      await queue.close().catch(() => {});
      await Promise.all([
        producer.quit().catch(() => {}),
        workerConnection?.quit().catch(() => {}),
      ]);
    },
  };
}
