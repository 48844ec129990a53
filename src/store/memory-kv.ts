import type { KeyValueStore } from './kv.js';

interface Entry {
  value: string;
  expiresAt: number;
}

const asScores = (entry: Entry | undefined): Record<string, number> =>
  entry ? (JSON.parse(entry.value) as Record<string, number>) : {};

/** In-process store used without REDIS_URL: nothing survives a restart or crosses replicas. */
export function createMemoryKeyValueStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, Entry>();
  // Sets are kept apart from strings: their members as a JSON-free Set, their own expiry.
  const sets = new Map<string, { members: Set<string>; expiresAt: number }>();
  const liveSet = (key: string) => {
    const set = sets.get(key);
    if (set && set.expiresAt <= now()) sets.delete(key);
    return sets.get(key);
  };
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const put = (key: string, value: string, ttlSeconds: number) => {
    entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
  };
  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async getMany(keys) {
      return keys.map((key) => live(key)?.value ?? null);
    },
    async getAndTouch(key, ttlSeconds) {
      const entry = live(key);
      if (!entry) return null;
      put(key, entry.value, ttlSeconds);
      return entry.value;
    },
    async set(key, value, ttlSeconds) {
      put(key, value, ttlSeconds);
    },
    async setVersioned(key, value, ttlSeconds, versionKey, ifVersion) {
      const version = live(versionKey)?.value ?? '0';
      if (ifVersion !== undefined && version !== ifVersion) return false;
      put(key, value, ttlSeconds);
      put(versionKey, String(Number(version) + 1), ttlSeconds);
      return true;
    },
    async setIfAbsent(key, value, ttlSeconds) {
      if (live(key)) return false;
      put(key, value, ttlSeconds);
      return true;
    },
    async count(key, n, ttlSeconds) {
      const current = live(key);
      if (!current) put(key, '0', ttlSeconds);
      const entry = entries.get(key)!;
      entry.value = String(Number(entry.value) + n);
      return Number(entry.value);
    },
    async writeAll(writes) {
      for (const w of writes) {
        if ('delete' in w) {
          entries.delete(w.key);
          sets.delete(w.key);
        } else if ('add' in w) {
          const scores = asScores(live(w.key));
          scores[w.member] = (scores[w.member] ?? 0) + w.add;
          put(w.key, JSON.stringify(scores), w.ttlSeconds);
        } else put(w.key, w.value, w.ttlSeconds);
      }
    },
    async scoreOf(key, member) {
      return asScores(live(key))[member] ?? 0;
    },
    async scores(key) {
      return asScores(live(key));
    },
    async del(key) {
      entries.delete(key);
      sets.delete(key);
    },
    async setAdd(key, member, ttlSeconds) {
      const set = liveSet(key) ?? { members: new Set<string>(), expiresAt: 0 };
      set.members.add(member);
      set.expiresAt = now() + ttlSeconds * 1000;
      sets.set(key, set);
    },
    async setRemove(key, member) {
      const set = liveSet(key);
      set?.members.delete(member);
      if (set && !set.members.size) sets.delete(key);
    },
    async setMembers(key) {
      return [...(liveSet(key)?.members ?? [])];
    },
    async delIfEquals(key, value) {
      if (live(key)?.value !== value) return false;
      entries.delete(key);
      return true;
    },
    async expireIfEquals(key, value, ttlSeconds) {
      if (live(key)?.value !== value) return false;
      put(key, value, ttlSeconds);
      return true;
    },
    async ping() {},
    async close() {
      entries.clear();
      sets.clear();
    },
  };
}
