import { CodedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type Metrics, registerQueueDepth } from '../observability/metrics.js';
import type { TurnRunner } from './turn-deps.js';
import { jobIdOf, type TurnJob, threadKeyOf } from './turn-job.js';

/** How a caller wants a refused job handled. */
export interface SubmitOptions {
  /**
   * Reject when the job is refused, even through the submit fallback (which otherwise tells the
   * requester and resolves): for a caller that answers the user itself.
   */
  rejectIfRefused?: boolean;
}

/** Accepts turns from the Slack listeners and runs them; lets shutdown wait for them. */
export interface TurnDispatcher {
  /** Accepts a job; resolves once it is accepted (queued), not when it finishes; rejects if refused. */
  submit(job: TurnJob, options?: SubmitOptions): Promise<void>;
  /** Stops accepting, then waits up to `timeoutMs` for turns in flight. */
  drain(timeoutMs: number): Promise<{ unfinished: number }>;
}

/** Runs a job with the runner. */
export async function runJob(runner: TurnRunner, job: TurnJob): Promise<void> {
  if (job.kind === 'turn') await runner.run(job.request);
  else await runner.decide(job.decision);
}

/**
 * Runs turns in this process, one at a time per thread (used without REDIS_URL; not durable:
 * a turn in flight is lost if the process dies).
 */
export function createInProcessDispatcher(
  runner: TurnRunner,
  logger: Logger,
  metrics?: Metrics,
): TurnDispatcher {
  const inFlight = new Set<Promise<void>>();
  const tails = new Map<string, Promise<void>>();
  let accepting = true;
  // Jobs running now; the rest in flight wait behind an earlier turn of their thread.
  let active = 0;
  if (metrics)
    registerQueueDepth(metrics, async () => ({
      waiting: inFlight.size - active,
      active,
      delayed: 0,
      failed: 0,
    }));
  return {
    async submit(job) {
      const id = jobIdOf(job);
      // Refused loudly: the submit fallback tells the requester instead of leaving silence.
      if (!accepting) throw new CodedError('shutting_down', `job ${id} refused: shutting down`);
      const thread = threadKeyOf(job);
      const previous = tails.get(thread) ?? Promise.resolve();
      const turn = previous
        .then(async () => {
          active++;
          try {
            await runJob(runner, job);
          } finally {
            active--;
          }
        })
        .catch((err) => logger.error({ err, job: id }, 'turn crashed'));
      tails.set(thread, turn);
      inFlight.add(turn);
      void turn.finally(() => {
        inFlight.delete(turn);
        if (tails.get(thread) === turn) tails.delete(thread);
      });
    },
    async drain(timeoutMs) {
      accepting = false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.allSettled([...inFlight]), timeout]);
      clearTimeout(timer);
      return { unfinished: inFlight.size };
    },
  };
}
