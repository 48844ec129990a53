/**
 * One write of a `writeAll`: a set with its TTL, a delete, or an addition to one member's score
 * in a scored set (created if absent; its TTL restarts: a tally kept while it is added to).
 */
export type KvWrite =
  | { key: string; value: string; ttlSeconds: number }
  | { key: string; delete: true }
  | { key: string; member: string; add: number; ttlSeconds: number };

/** The few key-value operations the app needs; Redis in production, a Map without REDIS_URL. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  /** Several values at once, in the order of `keys` (null where absent): one round trip. */
  getMany(keys: readonly string[]): Promise<Array<string | null>>;
  /** Gets a value and, when present, restarts its TTL: a record kept alive while it is used. */
  getAndTouch(key: string, ttlSeconds: number): Promise<string | null>;
  /** Sets a value with a time to live: every key this app writes expires. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /**
   * Sets a value and moves its version counter (`versionKey`, same TTL) on by one, both or
   * neither: only if the counter still reads `ifVersion` when that is given ("0" for none yet).
   * True when written. Optimistic concurrency for a value read with its version.
   */
  setVersioned(
    key: string,
    value: string,
    ttlSeconds: number,
    versionKey: string,
    ifVersion?: string,
  ): Promise<boolean>;
  /** Sets only if absent; true when this call created the key (dedupe, locks). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Adds `n` to a counter and resolves with its new total; the TTL runs from the counter's
   * creation and is not restarted by later additions (a window, not an idle timeout).
   */
  count(key: string, n: number, ttlSeconds: number): Promise<number>;
  /** One member's score in a scored set; 0 when either is absent. */
  scoreOf(key: string, member: string): Promise<number>;
  /** Every member's score in a scored set (empty when absent). */
  scores(key: string): Promise<Record<string, number>>;
  del(key: string): Promise<void>;
  /**
   * Applies several writes (sets with their TTLs, deletes, score additions) together, in one
   * round trip and as one transaction: all land or none, in the order given.
   */
  writeAll(writes: readonly KvWrite[]): Promise<void>;
  /** Adds a member to a set and restarts the set's TTL (an index kept alive while used). */
  setAdd(key: string, member: string, ttlSeconds: number): Promise<void>;
  /** Removes a member from a set (the set goes when its last member does). */
  setRemove(key: string, member: string): Promise<void>;
  /** The members of a set, none when absent; unordered. */
  setMembers(key: string): Promise<string[]>;
  /** Deletes only while the key still holds `value` (a lock released by its owner). */
  delIfEquals(key: string, value: string): Promise<boolean>;
  /** Extends the TTL only while the key still holds `value` (a lock renewed by its owner). */
  expireIfEquals(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Resolves when the store answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
