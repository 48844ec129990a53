import type { AppChild } from '../app-child.js';
import type { Variant } from '../bench-app.js';
import type { Driver } from '../driver.js';
import type { BenchOptions } from '../options.js';
import type { Upstreams } from '../upstreams.js';

/** What every phase works with: one variant's app process, its upstreams and a driver. */
export interface PhaseContext {
  variant: Variant;
  up: Upstreams;
  app: AppChild;
  driver: Driver;
  options: BenchOptions;
  /** A Slack user id never used before in this run. */
  newUser(): string;
  /** Reports progress (stderr in the CLI). */
  log(line: string): void;
}

/** Creates the new-user counter of one run. */
export function userIds(): () => string {
  let n = 0;
  return () => `UB${String(++n).padStart(6, '0')}`;
}

/** Throws when some turns did not end with the scripted answer. */
export function requireOk(phase: string, samples: ReadonlyArray<{ ok: boolean }>): void {
  const failed = samples.filter((s) => !s.ok).length;
  if (failed) throw new Error(`${phase}: ${failed} of ${samples.length} turns did not answer`);
}
