import { DelayedError, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { bestEffort, type Logger } from '../../logger.js';
import { type Keys, TTL } from '../../store/keys.js';
import { runJob } from '../dispatcher.js';
import type { TurnRunner } from '../turn-deps.js';
import type { TurnNotices } from '../turn-output.js';
import type { DurableOptions } from './options.js';
import { createOutageLog } from './outage-log.js';
import type { ThreadGate } from './thread-gate.js';
import { QUEUE_NAME, type QueuedTurn, type TurnQueue } from './turn-queue.js';

/** Options for {@link startTurnWorker}. */
export interface TurnWorkerOptions {
  connection: Redis;
  keys: Keys;
  queue: TurnQueue;
  runner: TurnRunner;
  notices: TurnNotices;
  options: DurableOptions;
  logger: Logger;
  /** Called when this worker takes over a turn whose worker stopped. */
  onRecovered?: () => void;
  /** Called when BullMQ finds a job stalled (its worker stopped renewing the lock). */
  onStalled?: () => void;
}

const MAX_WAIT_STEP_MS = 3_000;

const turnIdOf = (job: QueuedTurn['job']) =>
  job.kind === 'turn' ? job.request.id : job.decision.turnId;

/**
 * Runs queued turns. A turn runs only when it is at the head of its thread's line; otherwise
 * it steps back (delayed) and is promoted the moment the turn before it finishes. A turn whose
 * worker died is taken over by a live worker after its lock lapses and resumes from its
 * checkpoint.
 */
export function startTurnWorker(o: TurnWorkerOptions): Worker<QueuedTurn> {
  const gate: ThreadGate = o.queue.gate;
  const log = o.logger.child({ component: 'turn-worker' });

  /** Wakes the job now at the head of a line (it would otherwise wake on its own backoff). */
  async function promote(jobId: string) {
    await bestEffort(
      log,
      'promote the next turn',
      'a waiting turn retries on its own backoff (at most MAX_WAIT_STEP_MS)',
      o.queue.queue.getJob(jobId).then((j) => j?.promote()),
    );
  }

  async function letNextGo(thread: string, seq: number) {
    const next = await gate.advance(thread, seq);
    if (next) await promote(next);
  }

  /** Frees a line whose head job is gone for good (removed, or failed and forgotten). */
  async function unstick(thread: string, head: number) {
    const jobId = await gate.jobAt(thread, head);
    const job = jobId ? await o.queue.queue.getJob(jobId) : undefined;
    const state = job ? await job.getState() : 'unknown';
    if (!job || state === 'completed' || state === 'failed' || state === 'unknown') {
      log.warn({ thread, head, jobId, state }, 'thread line unblocked past a job that is gone');
      const next = await gate.advance(thread, head);
      if (next) await promote(next);
    }
  }

  async function process(job: Job<QueuedTurn>, token?: string) {
    const data = job.data;
    const { seq, head } = await gate.place(data.thread, job.id!);
    if (seq < head) {
      log.info({ job: job.id, seq, head }, 'turn already past its place in line; skipped');
      return 'duplicate';
    }
    if (seq > head) {
      const waits = (data.waits ?? 0) + 1;
      log.debug(
        { job: job.id, turn: turnIdOf(data.job), seq, head },
        'turn waiting for its place in line',
      );
      if (waits % 5 === 0) await unstick(data.thread, head);
      let told = data.told;
      if (!told && Date.now() - data.enqueuedAt >= o.options.waitNoticeMs) {
        await o.notices.waiting(data.job);
        told = true;
      }
      await job.updateData({ ...data, waits, told });
      await job.moveToDelayed(
        Date.now() + Math.min(100 * 2 ** Math.min(waits, 10), MAX_WAIT_STEP_MS),
        token,
      );
      throw new DelayedError();
    }
    if (job.stalledCounter > 0) {
      o.onRecovered?.();
      const recovered = o.keys.counter('recovered');
      await o.connection.multi().incr(recovered).expire(recovered, TTL.counter).exec();
      log.info(
        { job: job.id, stalls: job.stalledCounter },
        'taking over a turn whose worker stopped',
      );
    }
    await runJob(o.runner, data.job);
    await letNextGo(data.thread, seq);
    return 'done';
  }

  const worker = new Worker<QueuedTurn>(QUEUE_NAME, process, {
    connection: o.connection,
    prefix: o.keys.bull(),
    concurrency: o.options.concurrency,
    lockDuration: o.options.lockMs,
    stalledInterval: o.options.stalledCheckMs,
    maxStalledCount: o.options.maxStalls,
  });
  worker.on('stalled', () => o.onStalled?.());
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(err.message);
    log.error({ job: job.id, err, final }, 'turn job failed');
    if (!final) return;
    void o.notices
      .failed(job.data.job)
      .catch((e) => log.error({ err: e }, 'could not tell the requester'))
      .finally(() =>
        bestEffort(
          log,
          'free the line after a failed turn',
          'the turn behind it frees a line whose head is gone (unstick)',
          gate.place(job.data.thread, job.id!).then(({ seq }) => letNextGo(job.data.thread, seq)),
        ),
      );
  });
  const outage = createOutageLog(log, 'turn worker');
  worker.on('error', (err) => outage.error(err));
  o.connection.on('ready', () => outage.ready());
  return worker;
}
