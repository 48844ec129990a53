/** Settings of the durable turn queue (see docs/deploy.md for what each one trades). */
export interface DurableOptions {
  /** Turns one instance runs at once. */
  concurrency: number;
  /**
   * How long a worker's hold on a job lasts without renewal (renewed every half of it while
   * the worker lives). A dead worker's turn is taken over within about lockMs + stalledCheckMs.
   */
  lockMs: number;
  /** How often live workers look for jobs whose worker died. */
  stalledCheckMs: number;
  /** A turn whose worker died more often than this fails with a clear message. */
  maxStalls: number;
  /** A turn that waits longer than this is told so in its thread. */
  waitNoticeMs: number;
}

/** Defaults: recovery within about 20 s of a crash; waiting people told after a minute. */
export const DEFAULT_DURABLE_OPTIONS: DurableOptions = {
  // Turns mostly wait on Claude and Confluence, so more than the cores; rate limits are the cap.
  concurrency: 8,
  // Well above any event-loop pause, so a live but busy worker is not taken for dead.
  lockMs: 15_000,
  stalledCheckMs: 5_000,
  // A request that kills its worker twice is given up: it cannot crash-loop the fleet.
  maxStalls: 2,
  // About when someone starts to wonder whether the bot heard them.
  waitNoticeMs: 60_000,
};
