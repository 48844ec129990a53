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
  concurrency: 8,
  lockMs: 15_000,
  stalledCheckMs: 5_000,
  maxStalls: 2,
  waitNoticeMs: 60_000,
};
