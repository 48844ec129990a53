/** Settings of the durable turn queue (see docs/deploy.md for what each one trades). */
export interface DurableOptions {
  /** Turns one instance runs at once. */
  concurrency: number;
  /**
   * How long a worker's hold on a job lasts without renewal. While the worker lives, BullMQ
   * renews it every lockMs / 4 from lockMs / 2 into the job on (lock-manager.js), so a dead
   * worker's turn is taken over between lockMs / 2 (3/4 of it past a job's first seconds) and
   * about lockMs + stalledCheckMs after the death.
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
 * Defaults: a crashed worker's turn resumed by another within 3–8 s (`npm run bench`'s kill →
 * resumed phase, 8 kills on a loaded 2-core machine: 4.2–7.6 s, p50 6.1 s; the former 15 s lock
 * and 5 s checks took 15–20 s); waiting people told after a minute.
 */
export const DEFAULT_DURABLE_OPTIONS: DurableOptions = {
  // Turns mostly wait on Claude and Confluence, so more than the cores; rate limits are the cap.
  concurrency: 8,
  // What it trades: a live worker whose event loop stalls for more than lockMs / 2 to 3/4 of
  // it (3–4.5 s: CPU starvation, a huge GC) loses its turn to another worker while it still
  // runs it. A turn is all awaits on Claude, Confluence and Slack: 3 s of blocked loop is far
  // from normal.
  // The second run resumes from the turn's checkpoints, tool-call marks and Slack message marks
  // (src/turns), which keep a write from being repeated blindly and the answer from being posted
  // twice; they are made for a run that follows a dead one, so two live runs can still race.
  // The cost of the shorter lock: one lock-renewal script per worker every 1.5 s while it has
  // turns running (BullMQ batches all of a worker's turns in one call); 15 s took one per 3.75 s.
  lockMs: 6_000,
  // One moveStalledJobsToWait script per worker a second, most of them a single EXISTS: BullMQ
  // gates the check with a key, so one worker a period does the work (a few commands). Each
  // period adds up to one more to a recovery: 2 s measured up to 9.1 s on a loaded machine.
  stalledCheckMs: 1_000,
  // A request that kills its worker twice is given up: it cannot crash-loop the fleet.
  maxStalls: 2,
  // About when someone starts to wonder whether the bot heard them.
  waitNoticeMs: 60_000,
};
