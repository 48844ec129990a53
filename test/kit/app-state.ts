/** What the app keeps in Redis under one key prefix, read the way tests wait on it. */
import type { Redis } from 'ioredis';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { waitUntil } from './wait.js';

// biome-ignore lint/suspicious/noExplicitAny: stored records are free-form JSON.
type Json = any;

/** A handled Slack event id is kept for a day; a claim in progress lives seconds. */
const HANDLED_EVENT_MIN_PTTL_MS = 60_000;

/** The app's state in Redis under one key prefix (see src/store/keys.ts). */
export interface AppState {
  /** The app's own key builder for this prefix. */
  keys: Keys;
  /** A turn's checkpoint (running, paused for approval, handed over), parsed; null when none. */
  turnRecord(turnId: string): Promise<Json | null>;
  /** Resolves once the turn has ended, answered or failed: marked done and its record gone. */
  turnEnded(turnId: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the turn's checkpoint once it is paused for the requester's approval. */
  turnPaused(turnId: string, timeoutMs?: number): Promise<Json>;
  /** The data of the queued job that runs turn `turnId` (its place in line, waits), or null. */
  queuedTurn(turnId: string): Promise<Json | null>;
  /** Resolves once the job that runs turn `turnId` has finished (BullMQ's finishedOn is set). */
  turnJobFinished(turnId: string, timeoutMs?: number): Promise<void>;
  /** The ids of every turn job ever queued under this prefix (waiting, running or done). */
  turnJobs(): Promise<string[]>;
  /** Resolves once the app has finished handling Slack event `eventId` (kept as handled). */
  eventHandled(eventId: string, timeoutMs?: number): Promise<void>;
  /** A cluster-wide counter (e.g. `recovered`: turns taken over from a dead worker). */
  counter(name: string): Promise<number>;
  /** Milliseconds a key has left to live (-2: no such key, -1: no TTL). */
  pttl(key: string): Promise<number>;
  /**
   * Every key under the prefix with its value (strings, hashes, lists, sets, sorted sets,
   * streams: the app's keys and the queue's), as one string to search.
   */
  everything(): Promise<string>;
}

/** The BullMQ job id of a turn (src/turns/turn-job.ts: one job per Slack delivery). */
export const turnJobId = (turnId: string) => `turn-${turnId}`.replace(/[^A-Za-z0-9_.-]/g, '_');

/** Reads the app's state under `prefix` through `redis` (a connection the caller owns). */
export function watchAppState(redis: Redis, prefix: string): AppState {
  const keys = createKeys(prefix);
  const state: AppState = {
    keys,
    async turnRecord(turnId) {
      const raw = await redis.get(keys.turn(turnId));
      return raw ? JSON.parse(raw) : null;
    },
    async turnEnded(turnId, timeoutMs = 10_000) {
      await waitUntil(
        `turn ${turnId} to end (${keys.turnDone(turnId)} set, ${keys.turn(turnId)} gone)`,
        async () => {
          const [done, record] = await Promise.all([
            redis.exists(keys.turnDone(turnId)),
            redis.exists(keys.turn(turnId)),
          ]);
          return done === 1 && record === 0;
        },
        timeoutMs,
      );
    },
    turnPaused: (turnId, timeoutMs = 10_000) =>
      waitUntil(
        `turn ${turnId} to pause for approval`,
        async () => {
          const record = await state.turnRecord(turnId);
          return record?.status === 'awaiting_approval' ? record : null;
        },
        timeoutMs,
      ),
    async queuedTurn(turnId) {
      const raw = await redis.hget(`${keys.bull()}:turns:${turnJobId(turnId)}`, 'data');
      return raw ? JSON.parse(raw) : null;
    },
    async turnJobFinished(turnId, timeoutMs = 15_000) {
      const key = `${keys.bull()}:turns:${turnJobId(turnId)}`;
      await waitUntil(
        `the job of turn ${turnId} to finish`,
        async () => (await redis.hget(key, 'finishedOn')) !== null,
        timeoutMs,
      );
    },
    async turnJobs() {
      const jobs = `${keys.bull()}:turns:`;
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${jobs}turn-*`, 'COUNT', 500);
        found.push(...batch.map((k) => k.slice(jobs.length)).filter((id) => !id.includes(':')));
        cursor = next;
      } while (cursor !== '0');
      return found;
    },
    async eventHandled(eventId, timeoutMs = 10_000) {
      await waitUntil(
        `Slack event ${eventId} to be handled`,
        async () => (await redis.pttl(keys.event(eventId))) > HANDLED_EVENT_MIN_PTTL_MS,
        timeoutMs,
      );
    },
    counter: async (name) => Number((await redis.get(keys.counter(name))) ?? 0),
    pttl: (key) => redis.pttl(key),
    async everything() {
      const found: string[] = [];
      let cursor = '0';
      // Bounded: SCAN walks the keyspace once, and ends when its cursor comes back to 0.
      for (let page = 0; page < 10_000; page++) {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        found.push(...batch);
        cursor = next;
        if (cursor === '0') break;
      }
      const values = await Promise.all(
        found.map(async (key) => {
          const type = await redis.type(key);
          const value =
            type === 'string'
              ? await redis.get(key)
              : type === 'hash'
                ? await redis.hgetall(key)
                : type === 'list'
                  ? await redis.lrange(key, 0, -1)
                  : type === 'set'
                    ? await redis.smembers(key)
                    : type === 'zset'
                      ? await redis.zrange(key, 0, -1)
                      : type === 'stream'
                        ? await redis.xrange(key, '-', '+')
                        : null;
          return `${key} ${JSON.stringify(value)}`;
        }),
      );
      return values.join('\n');
    },
  };
  return state;
}

/** Stands in for the state of an app on the in-process store: there is no Redis to read. */
export function noAppState(): AppState {
  const refuse = () => {
    throw new Error('this harness uses the in-process store: wait on Slack or the fakes instead');
  };
  return new Proxy({} as AppState, { get: refuse });
}
