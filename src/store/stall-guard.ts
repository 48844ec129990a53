import { CodedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { KeyValueStore } from './kv.js';

/**
 * How long one Redis step on Slack's ack path (the event claim, the thread ticket, the queue
 * add, a record read by a button) may take: Slack gives the whole ack 3 s, and a Redis that is up
 * answers in milliseconds. It is the `commandTimeout` of the ack-path connections; once one step
 * has hit it, the next ones fail at once (see {@link createStallGuard}), so a request spends at
 * most this long on a hanging Redis, and a stall never pushes an ack past Slack's limit.
 */
export const ACK_STEP_TIMEOUT_MS = 1_000;
// How often a stalled Redis is asked whether it answers again: recovery within about a second.
const PROBE_INTERVAL_MS = 500;

/** ioredis rejects a command that outlived `commandTimeout` with exactly this message. */
const isTimeout = (err: unknown) => err instanceof Error && /Command timed out/.test(err.message);

/**
 * The process's memory that Redis has stopped answering (hanging, not refusing). Ack-path steps
 * run through it: while Redis is stalled they fail at once instead of each waiting out its
 * timeout; a PING every half second ends the stall as soon as Redis answers.
 */
export interface StallGuard {
  /** Runs one ack-path step, or rejects at once (`store_unavailable`) while Redis is stalled. */
  run<T>(step: () => Promise<T>): Promise<T>;
  /** True while Redis is known not to answer. */
  stalled(): boolean;
  close(): void;
}

/** Creates the guard; `probe` is a PING on an ack-path connection (bounded by its timeout). */
export function createStallGuard(probe: () => Promise<unknown>, logger: Logger): StallGuard {
  let stalledSince: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      probe().then(
        () => {
          logger.info(
            { stalledMs: Date.now() - (stalledSince ?? Date.now()) },
            'Redis answers again',
          );
          stalledSince = undefined;
        },
        () => schedule(),
      );
    }, PROBE_INTERVAL_MS);
    timer.unref();
  };
  return {
    async run(step) {
      if (stalledSince !== undefined)
        throw new CodedError('store_unavailable', 'Redis is not answering (stalled)');
      try {
        return await step();
      } catch (err) {
        if (isTimeout(err) && stalledSince === undefined) {
          stalledSince = Date.now();
          logger.warn('Redis is not answering: ack-path steps fail at once until it does');
          schedule();
        }
        throw err;
      }
    },
    stalled: () => stalledSince !== undefined,
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}

/**
 * A key-value store whose every call runs through the guard: the ack path's store, and the
 * receiver's readiness check (`/readyz` says 503 while Redis hangs).
 */
export function guardKeyValueStore(kv: KeyValueStore, guard: StallGuard): KeyValueStore {
  return {
    get: (key) => guard.run(() => kv.get(key)),
    getMany: (keys) => guard.run(() => kv.getMany(keys)),
    getAndTouch: (key, ttl) => guard.run(() => kv.getAndTouch(key, ttl)),
    set: (key, value, ttl) => guard.run(() => kv.set(key, value, ttl)),
    setIfAbsent: (key, value, ttl) => guard.run(() => kv.setIfAbsent(key, value, ttl)),
    setVersioned: (key, value, ttl, versionKey, ifVersion) =>
      guard.run(() => kv.setVersioned(key, value, ttl, versionKey, ifVersion)),
    count: (key, n, ttl) => guard.run(() => kv.count(key, n, ttl)),
    writeAll: (writes) => guard.run(() => kv.writeAll(writes)),
    scoreOf: (key, member) => guard.run(() => kv.scoreOf(key, member)),
    scores: (key) => guard.run(() => kv.scores(key)),
    del: (key) => guard.run(() => kv.del(key)),
    setAdd: (key, member, ttl) => guard.run(() => kv.setAdd(key, member, ttl)),
    setRemove: (key, member) => guard.run(() => kv.setRemove(key, member)),
    setMembers: (key) => guard.run(() => kv.setMembers(key)),
    delIfEquals: (key, value) => guard.run(() => kv.delIfEquals(key, value)),
    expireIfEquals: (key, value, ttl) => guard.run(() => kv.expireIfEquals(key, value, ttl)),
    // Readiness through the guard: not ready while Redis is known to hang.
    ping: () => guard.run(() => kv.ping()),
    close: async () => {
      guard.close();
      await kv.close();
    },
  };
}
