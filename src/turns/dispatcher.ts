import type { Logger } from '../logger.js';
import type { TurnRunner } from './run-turn.js';
import type { ApprovalDecision } from './turn-record.js';
import type { TurnRequest } from './turn-request.js';

/** A unit of agent work: a new request, or a decision that resumes a paused turn. */
export type TurnJob =
  | { kind: 'turn'; request: TurnRequest }
  | { kind: 'decision'; decision: ApprovalDecision };

/** Accepts turns from the Slack listeners and runs them; lets shutdown wait for them. */
export interface TurnDispatcher {
  /** Accepts a job; resolves once it is accepted, not when it finishes. */
  submit(job: TurnJob): Promise<void>;
  /** Stops accepting, then waits up to `timeoutMs` for turns in flight. */
  drain(timeoutMs: number): Promise<{ unfinished: number }>;
}

/** Runs turns in this process (the in-process store, and the first, non-durable mode). */
export function createInProcessDispatcher(runner: TurnRunner, logger: Logger): TurnDispatcher {
  const inFlight = new Set<Promise<void>>();
  let accepting = true;
  return {
    async submit(job) {
      const id = job.kind === 'turn' ? job.request.id : job.decision.turnId;
      if (!accepting) {
        logger.warn({ turn: id }, 'job refused: shutting down');
        return;
      }
      const work = job.kind === 'turn' ? runner.run(job.request) : runner.decide(job.decision);
      const turn = work.then(
        () => {},
        (err) => logger.error({ err, turn: id }, 'turn crashed'),
      );
      inFlight.add(turn);
      void turn.finally(() => inFlight.delete(turn));
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
