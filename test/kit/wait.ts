/** Bounded polling for state that has no event to await (Redis keys, HTTP endpoints). */
import { setTimeout as sleep } from 'node:timers/promises';

/** How often a poll looks again: often enough to add no visible delay, cheap for Redis. */
const POLL_INTERVAL_MS = 20;

/**
 * Resolves with the first truthy value `check` returns, polling every 20 ms; rejects after
 * `timeoutMs` naming `what` and the last value seen. A `check` that throws counts as not yet
 * (a store that is briefly unreachable), and its last error is reported on timeout.
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`waited ${timeoutMs} ms for ${what}; last seen: ${seen}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}
