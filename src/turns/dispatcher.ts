import { CodedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ThreadRef } from '../store/stores.js';
import type { TurnRunner } from './run-turn.js';
import type { ApprovalDecision } from './turn-record.js';
import type { TurnRequest } from './turn-request.js';

/** A unit of agent work: a new request, or a decision that resumes a paused turn. */
export type TurnJob =
  | { kind: 'turn'; request: TurnRequest }
  | { kind: 'decision'; decision: ApprovalDecision; thread: ThreadRef; pauseId: string };

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

/** The thread a job belongs to: its turns run one at a time, in order. */
export function threadKeyOf(job: TurnJob): string {
  const t = job.kind === 'turn' ? job.request : job.thread;
  return `${t.teamId}:${t.channel}:${t.threadTs}`;
}

/** A stable id per Slack delivery, so re-deliveries of one event collapse into one job. */
export function jobIdOf(job: TurnJob): string {
  const raw =
    job.kind === 'turn'
      ? `turn-${job.request.id}`
      : `decision-${job.decision.turnId}-${job.pauseId}`;
  return raw.replace(/[^A-Za-z0-9_.-]/g, '_');
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
export function createInProcessDispatcher(runner: TurnRunner, logger: Logger): TurnDispatcher {
  const inFlight = new Set<Promise<void>>();
  const tails = new Map<string, Promise<void>>();
  let accepting = true;
  return {
    async submit(job) {
      const id = jobIdOf(job);
      // Refused loudly: the submit fallback tells the requester instead of leaving silence.
      if (!accepting) throw new CodedError('shutting_down', `job ${id} refused: shutting down`);
      const thread = threadKeyOf(job);
      const previous = tails.get(thread) ?? Promise.resolve();
      const turn = previous
        .then(() => runJob(runner, job))
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
