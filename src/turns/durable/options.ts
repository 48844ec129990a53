/** Settings of the durable turn queue (see docs/deploy.md for what each one trades). */
export interface DurableOptions {
  /** Turns one instance runs at once. */
  concurrency: number;
  /**
   * How long a worker's hold on a job lasts without renewal (renewed about every half of it
   * while the worker lives). A dead worker's turn is taken over between lockMs / 2 and
   * lockMs + stalledCheckMs after the death: lockMs when it dies just after a renewal.
   */
  lockMs: number;
  /**
   * How often live workers look for jobs whose worker died. A check moves a job whose lock has
   * lapsed only if an earlier check marked it (BullMQ's moveStalledJobsToWait: mark, then sweep),
   * which a check during the lock's lifetime always has when this is under lockMs / 2.
   */
  stalledCheckMs: number;
  /** A turn whose worker died more often than this fails with a clear message. */
  maxStalls: number;
  /** A turn that waits longer than this is told so in its thread. */
  waitNoticeMs: number;
}

/**
 * Defaults: a crashed worker's turn resumed within 8 s (6–7 s measured by `npm run bench`,
 * kill → resumed); waiting people told after a minute.
 */
export const DEFAULT_DURABLE_OPTIONS: DurableOptions = {
  // Turns mostly wait on Claude and Confluence, so more than the cores; rate limits are the cap.
  concurrency: 8,
  // What it trades: a live worker whose event loop stalls for more than about lockMs / 2 (3 s:
  // CPU starvation, a huge GC) loses its turn to another worker while it still runs it. A turn
  // is all awaits on Claude, Confluence and Slack, so 3 s of blocked loop is far from normal.
  // The two runs then share the turn's checkpoints, tool-call marks and Slack message marks, so
  // no write is repeated blindly and no answer is posted twice (src/turns). The cost of the
  // shorter lock: one lock-renewal script per worker every ~3 s while it has turns running
  // (BullMQ batches all of a worker's turns into one call), where 15 s took one per ~7.5 s.
  lockMs: 6_000,
  // One moveStalledJobsToWait script per worker every 2 s (only one a period does the work:
  // BullMQ gates it with a key); 5 s added up to 5 s to every recovery.
  stalledCheckMs: 2_000,
  // A request that kills its worker twice is given up: it cannot crash-loop the fleet.
  maxStalls: 2,
  // About when someone starts to wonder whether the bot heard them.
  waitNoticeMs: 60_000,
};
