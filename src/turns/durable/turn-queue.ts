import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Keys } from '../../store/keys.js';
import { jobIdOf, type TurnJob, threadKeyOf } from '../turn-job.js';
import { ThreadGate } from './thread-gate.js';

/** The queue's name in Redis. */
export const QUEUE_NAME = 'turns';

// A job that throws (a Redis blip mid-turn) runs twice more, 1 s and then 2 s later, from its
// checkpoint; one that keeps failing is given up with a message in its thread, not retried on.
const JOB_ATTEMPTS = 3;
const JOB_BACKOFF_MS = 1_000;
// Finished jobs stay an hour (at most 5,000): a late duplicate of a delivery still finds its job
// id taken, while Redis does not grow with traffic.
const DONE_JOB_KEEP_SECONDS = 3_600;
const DONE_JOB_KEEP_COUNT = 5_000;
// Failed jobs stay a week, so one that failed on a Friday can still be looked into on Monday.
const FAILED_JOB_KEEP_SECONDS = 7 * 24 * 3_600;

/** What a queued job carries besides the turn itself. */
export interface QueuedTurn {
  job: TurnJob;
  thread: string;
  enqueuedAt: number;
  /** How often it found its thread busy (drives its backoff). */
  waits?: number;
  /** Set once the requester was told the turn is waiting. */
  told?: boolean;
}

/** Builds the thread gate over the app's key layout. */
export function createThreadGate(redis: Redis, keys: Keys): ThreadGate {
  return new ThreadGate(redis, {
    ticket: keys.ticket,
    seq: keys.lineSeq,
    slots: keys.lineSlots,
    head: keys.lineHead,
  });
}

/** The producer side: puts each accepted turn in line for its thread and on the queue. */
export class TurnQueue {
  readonly queue: Queue<QueuedTurn>;
  readonly gate: ThreadGate;

  constructor(redis: Redis, keys: Keys) {
    this.queue = new Queue<QueuedTurn>(QUEUE_NAME, { connection: redis, prefix: keys.bull() });
    this.gate = createThreadGate(redis, keys);
  }

  /**
   * Enqueues a job; the same Slack delivery (job id) is enqueued once. Its ticket in the thread's
   * line is taken in the same round trip, not before: the job does not carry it (its worker asks
   * the line, which gives the same job id the same ticket), so neither waits for the other on
   * Slack's ack path. Should the ticket fail while the add lands, the worker takes it.
   */
  async add(job: TurnJob): Promise<void> {
    const jobId = jobIdOf(job);
    const thread = threadKeyOf(job);
    const ticket = this.gate.place(thread, jobId);
    const added = this.queue.add(
      job.kind,
      { job, thread, enqueuedAt: Date.now() },
      {
        jobId,
        attempts: JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
        removeOnComplete: { age: DONE_JOB_KEEP_SECONDS, count: DONE_JOB_KEEP_COUNT },
        removeOnFail: { age: FAILED_JOB_KEEP_SECONDS },
      },
    );
    await Promise.all([ticket, added]);
  }

  /** Queue depth for the metrics endpoint. */
  counts() {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
