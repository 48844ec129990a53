import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { CodedError } from '../../errors.js';
import { bestEffort, type Logger } from '../../logger.js';
import {
  type Metrics,
  recoveriesCounter,
  registerQueueDepth,
} from '../../observability/metrics.js';
import { type Keys, TTL } from '../../store/keys.js';
import { REDIS_COMMAND_RETRIES } from '../../store/redis-kv.js';
import { ACK_STEP_TIMEOUT_MS, type StallGuard } from '../../store/stall-guard.js';
import type { TurnDispatcher } from '../dispatcher.js';
import type { TurnRunner } from '../turn-deps.js';
import type { TurnNotices } from '../turn-output.js';
import type { DurableOptions } from './options.js';
import { createOutageLog } from './outage-log.js';
import { TurnQueue } from './turn-queue.js';
import { startTurnWorker } from './turn-worker.js';

// Closing the worker (forced: its turns are left to another instance) or the queue is a few
// Redis round trips: two seconds is plenty, and more would only delay the exit.
const CLOSE_WAIT_MS = 2_000;
// A QUIT is answered at once by a Redis that is up; a down one must not hold the exit.
const QUIT_WAIT_MS = 1_000;

/** Waits for `work` at most `ms`; a close that hangs must not keep a stopping process alive. */
async function within(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work?.catch(() => {}),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/** Options for {@link createDurableDispatcher}. */
export interface DurableDispatcherOptions {
  redisUrl: string;
  keys: Keys;
  runner: TurnRunner;
  notices: TurnNotices;
  options: DurableOptions;
  /** Whether this process runs turns (`worker` and `all` roles) or only enqueues them. */
  work: boolean;
  /** The ack path's memory of a stalled Redis: a submit then fails at once. */
  stallGuard: StallGuard;
  logger: Logger;
  /** Queue depth, recoveries and stalls go here. */
  metrics?: Metrics;
}

/** A dispatcher over BullMQ (its queue depth is reported to the metrics given). */
export interface DurableDispatcher extends TurnDispatcher {
  close(): Promise<void>;
}

/**
 * Turns as durable jobs: each accepted turn is on the queue before Slack's ack returns, and
 * workers in every instance run them; a turn whose worker dies is resumed by another.
 */
export function createDurableDispatcher(o: DurableDispatcherOptions): DurableDispatcher {
  // BullMQ's blocking worker connection must retry forever and has no command timeout (its
  // BZPOPMIN waits by design); the producer fails fast instead, as BullMQ advises for queues
  // (https://docs.bullmq.io/guide/going-to-production#maxretriesperrequest). The submit is on
  // Slack's ack path, so each of its commands (ticket, add) is bounded by ACK_STEP_TIMEOUT_MS;
  // the worker's line steps that share this connection are plain commands, as quick.
  const producer = new Redis(o.redisUrl, {
    maxRetriesPerRequest: REDIS_COMMAND_RETRIES,
    commandTimeout: ACK_STEP_TIMEOUT_MS,
  });
  producer.on('error', () => {});
  const queue = new TurnQueue(producer, o.keys);
  // Without a listener BullMQ prints queue errors raw to stderr; the submit path reports its own.
  const outage = createOutageLog(o.logger.child({ component: 'turn-queue' }), 'turn queue');
  queue.queue.on('error', (err) => outage.error(err));
  producer.on('ready', () => outage.ready());
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  // Registered up front, so the series shows (at 0) before the first recovery.
  const recoveries = o.metrics && recoveriesCounter(o.metrics);
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
      onRecovered: recoveries && (() => recoveries.inc()),
      onStalled: o.metrics && (() => o.metrics!.stalls.inc()),
    });
  }
  if (o.metrics) registerQueueDepth(o.metrics, () => queue.counts());
  let accepting = true;
  let abandoned = false;

  return {
    async submit(job) {
      if (!accepting) throw new CodedError('shutting_down', 'closed: not accepting new turns');
      try {
        await o.stallGuard.run(() => queue.add(job));
      } catch (err) {
        // A command that timed out is not withdrawn: once a hanging Redis answers again, the add
        // may still land, after the requester was told to try again. The turn is marked done
        // right behind it, on the same connection (so in that order), and a late job then finds
        // nothing to do.
        if (job.kind === 'turn') {
          void bestEffort(
            o.logger,
            'mark a refused turn done',
            'without it a late-landing job would answer a request its requester was told to retry',
            producer.set(o.keys.turnDone(job.request.id), '1', 'EX', TTL.turnDone),
          );
        }
        throw err;
      }
    },
    async drain(timeoutMs) {
      // New turns are still queued while draining (until close): the queue is shared, so
      // another instance, or this one restarted, runs them; only this worker stops taking work.
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
      // Past the bound the active turns are left as they are: once this process is gone their
      // locks lapse and another instance resumes them from their checkpoints.
      abandoned = outcome === 'timeout';
      return { unfinished: abandoned ? 1 : 0 };
    },
    async close() {
      accepting = false;
      // An abandoned worker is left closing: the process exit ends it, and waiting for it
      // would wait for the very turns we chose to leave to another instance.
      if (!abandoned) await within(worker?.close(true), CLOSE_WAIT_MS);
      await within(queue.close(), CLOSE_WAIT_MS);
      await within(producer.quit(), QUIT_WAIT_MS);
      if (!abandoned) await within(workerConnection?.quit(), QUIT_WAIT_MS);
    },
  };
}
