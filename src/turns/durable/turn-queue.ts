import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Keys } from '../../store/keys.js';
import { jobIdOf, type TurnJob, threadKeyOf } from '../turn-job.js';
import { ThreadGate } from './thread-gate.js';

/** The queue's name in Redis. */
export const QUEUE_NAME = 'turns';

/** What a queued job carries besides the turn itself. */
export interface QueuedTurn {
  job: TurnJob;
  thread: string;
  /** The job's ticket in its thread's line. */
  seq: number;
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

  /** Enqueues a job; the same Slack delivery (job id) is enqueued once. */
  async add(job: TurnJob): Promise<void> {
    const jobId = jobIdOf(job);
    const thread = threadKeyOf(job);
    const seq = await this.gate.ticket(thread, jobId);
    await this.queue.add(
      job.kind,
      { job, thread, seq, enqueuedAt: Date.now() },
      {
        jobId,
        attempts: 3,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: { age: 3_600, count: 5_000 },
        removeOnFail: { age: 7 * 24 * 3_600 },
      },
    );
  }

  /** Queue depth for the metrics endpoint. */
  counts() {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
