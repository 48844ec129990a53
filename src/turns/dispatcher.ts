import type { Logger } from '../logger.js';
import type { TurnRunner } from './run-turn.js';
import type { TurnRequest } from './turn-request.js';

/** Accepts turns from the Slack listeners and runs them; lets shutdown wait for them. */
export interface TurnDispatcher {
  /** Accepts a turn; resolves once it is accepted, not when it finishes. */
  submit(request: TurnRequest): Promise<void>;
  /** Stops accepting, then waits up to `timeoutMs` for turns in flight. */
  drain(timeoutMs: number): Promise<{ unfinished: number }>;
}

/** Runs turns in this process (the in-process store, and the first, non-durable mode). */
export function createInProcessDispatcher(run: TurnRunner, logger: Logger): TurnDispatcher {
  const inFlight = new Set<Promise<void>>();
  let accepting = true;
  return {
    async submit(request) {
      if (!accepting) {
        logger.warn({ turn: request.id }, 'turn refused: shutting down');
        return;
      }
      const turn = run(request).catch((err) =>
        logger.error({ err, turn: request.id }, 'turn crashed'),
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
