import { createHash } from 'node:crypto';
import { type Keys, TTL } from './keys.js';
import type { KeyValueStore, KvWrite } from './kv.js';

/** Identifies one Slack thread in one workspace. */
export interface ThreadRef {
  teamId: string;
  channel: string;
  threadTs: string;
}

/** A thread's history as read, with its version (which every save moves on). */
export interface VersionedHistory<M> {
  messages: M[];
  version: string;
  /** The length of the JSON it was read from (what `JSON.stringify(messages)` would give). */
  jsonChars: number;
}

/** Conversation history per Slack thread, as the model's message list. */
export interface HistoryStore<M> {
  load(thread: ThreadRef): Promise<M[]>;
  /** The history with its version, in one round trip. */
  loadVersioned(thread: ThreadRef): Promise<VersionedHistory<M>>;
  /**
   * Saves the history; with `ifVersion`, only if no save came since it was read at that version
   * (resolves false, writing nothing, if one did).
   */
  save(thread: ThreadRef, messages: readonly M[], ifVersion?: string): Promise<boolean>;
}

/** A string → string record with a TTL that is refreshed on write. */
export interface StringRecord<K extends unknown[]> {
  get(...key: K): Promise<string | null>;
  set(value: string, ...key: K): Promise<void>;
  delete(...key: K): Promise<void>;
}

/** A JSON record with a TTL that is refreshed on write. */
export interface JsonRecord<K extends unknown[], V> {
  get(...key: K): Promise<V | null>;
  set(value: V, ...key: K): Promise<void>;
  delete(...key: K): Promise<void>;
}

/** Every store the app uses, over one key-value backend. */
export interface Stores<M, T = unknown, R = unknown> {
  kv: KeyValueStore;
  history: HistoryStore<M>;
  /**
   * Slack (team, user) → Composio user id; stable once written. Its TTL restarts on every read,
   * so a mapping expires only after 180 days unused (an e-mail mapping is never rebuilt while
   * in use, even if the person's e-mail changes).
   */
  composioUsers: StringRecord<[teamId: string, userId: string]>;
  /** Composio user id → Tool Router session id, shared by every replica. */
  sessions: StringRecord<[composioUserId: string]>;
  /** Per thread: ts of the last message the agent answered. */
  threadCursors: StringRecord<[teamId: string, channel: string, threadTs: string]>;
  /** Turns in progress or paused for approval, by turn id. */
  turns: JsonRecord<[turnId: string], T>;
  /** Turns that have answered (a job run again after its worker died must not run twice). */
  doneTurns: StringRecord<[turnId: string]>;
  /**
   * Closes an answered turn in one transaction: moves its thread's cursor to `messageTs`, marks
   * it done and forgets its record. Done and forgotten land together, so a run of the job again
   * always finds one of them.
   */
  finishTurn(
    turnId: string,
    thread: ThreadRef,
    messageTs: string,
    /** Writes that land in the same transaction (the turn's usage tally). */
    alongside?: readonly KvWrite[],
  ): Promise<void>;
  /** A slash command's turn id → the request it handed over to its new thread's line. */
  handOvers: JsonRecord<[turnId: string], R>;
  /** Where a turn stands (done mark, record, hand-over), in one round trip: a job's first read. */
  lookUpTurn(turnId: string): Promise<{ done: boolean; record: T | null; handOver: R | null }>;
  /**
   * Write-ahead for a turn's announcement: records that it is about to be posted (now, in epoch
   * seconds) and resolves with the time an earlier run recorded, if one did — that run may have
   * posted it before it died.
   */
  beginAnnouncing(turnId: string, nowSeconds: number): Promise<number | undefined>;
  /** Adds `n` uses of a response_url (shared by every replica); resolves with the total so far. */
  responseUrlUses(url: string, n: number): Promise<number>;
  /** Resolves true the first time a person opens the Messages tab (for the greeting). */
  firstVisit(teamId: string, userId: string): Promise<boolean>;
}

function stringRecord<K extends unknown[]>(
  kv: KeyValueStore,
  keyOf: (...key: K) => string,
  ttlSeconds: number,
  options: { touchOnRead?: boolean } = {},
): StringRecord<K> {
  return {
    get: (...key) =>
      options.touchOnRead ? kv.getAndTouch(keyOf(...key), ttlSeconds) : kv.get(keyOf(...key)),
    set: (value, ...key) => kv.set(keyOf(...key), value, ttlSeconds),
    delete: (...key) => kv.del(keyOf(...key)),
  };
}

function jsonRecord<K extends unknown[], V>(
  kv: KeyValueStore,
  keyOf: (...key: K) => string,
  ttlSeconds: number,
): JsonRecord<K, V> {
  return {
    get: async (...key) => {
      const raw = await kv.get(keyOf(...key));
      return raw ? (JSON.parse(raw) as V) : null;
    },
    set: (value, ...key) => kv.set(keyOf(...key), JSON.stringify(value), ttlSeconds),
    delete: (...key) => kv.del(keyOf(...key)),
  };
}

/** Creates the app's stores over a key-value backend. */
export function createStores<M, T = unknown, R = unknown>(
  kv: KeyValueStore,
  keys: Keys,
): Stores<M, T, R> {
  const threadKey = (t: ThreadRef) => keys.thread(t.teamId, t.channel, t.threadTs);
  const versionKey = (t: ThreadRef) => keys.threadVersion(t.teamId, t.channel, t.threadTs);
  const history: HistoryStore<M> = {
    async loadVersioned(thread) {
      const [raw, version] = await kv.getMany([threadKey(thread), versionKey(thread)]);
      return {
        messages: raw ? (JSON.parse(raw) as M[]) : [],
        version: version ?? '0',
        jsonChars: raw?.length ?? 2,
      };
    },
    load: async (thread) => (await history.loadVersioned(thread)).messages,
    save: (thread, messages, ifVersion) =>
      kv.setVersioned(
        threadKey(thread),
        JSON.stringify(messages),
        TTL.thread,
        versionKey(thread),
        ifVersion,
      ),
  };
  return {
    kv,
    history,
    composioUsers: stringRecord(kv, keys.composioUser, TTL.composioUser, { touchOnRead: true }),
    sessions: stringRecord(kv, keys.session, TTL.session),
    threadCursors: stringRecord(kv, keys.threadCursor, TTL.threadCursor),
    turns: jsonRecord(kv, keys.turn, TTL.turn),
    doneTurns: stringRecord(kv, keys.turnDone, TTL.turnDone),
    handOvers: jsonRecord(kv, keys.handOver, TTL.turn),
    async lookUpTurn(turnId) {
      const [done, record, handOver] = await kv.getMany([
        keys.turnDone(turnId),
        keys.turn(turnId),
        keys.handOver(turnId),
      ]);
      return {
        done: done !== null,
        record: record ? (JSON.parse(record) as T) : null,
        handOver: handOver ? (JSON.parse(handOver) as R) : null,
      };
    },
    finishTurn: (turnId, thread, messageTs, alongside = []) =>
      kv.writeAll([
        ...alongside,
        {
          key: keys.threadCursor(thread.teamId, thread.channel, thread.threadTs),
          value: messageTs,
          ttlSeconds: TTL.threadCursor,
        },
        { key: keys.turnDone(turnId), value: '1', ttlSeconds: TTL.turnDone },
        { key: keys.turn(turnId), delete: true },
      ]),
    async beginAnnouncing(turnId, nowSeconds) {
      const key = keys.announcing(turnId);
      if (await kv.setIfAbsent(key, String(nowSeconds), TTL.turn)) return undefined;
      const earlier = Number(await kv.get(key));
      return Number.isFinite(earlier) ? earlier : nowSeconds;
    },
    responseUrlUses: (url, n) =>
      kv.count(
        keys.responseUrl(createHash('sha256').update(url).digest('hex').slice(0, 32)),
        n,
        TTL.responseUrl,
      ),
    firstVisit: (teamId, userId) => kv.setIfAbsent(keys.greeted(teamId, userId), '1', TTL.greeted),
  };
}
