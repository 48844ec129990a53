import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from './kv.js';

// Renewed for at most this many TTLs: work that hangs (an upstream call that never returns)
// must not hold the lock for ever; past it, the lock lapses as a dead holder's would.
const MAX_HOLD_TTLS = 10;

/**
 * Runs `work` while holding the lock `key`, shared by every instance: taken with SET NX and a
 * short TTL, renewed every third of it while `work` runs (for ten TTLs at most), released
 * after. A holder that dies stops renewing, so its lock lapses within `ttlSeconds` however long
 * its work would have taken. Resolves `{ held: false }` without running `work` when another
 * holds the lock.
 */
export async function withHeldLock<T>(
  kv: KeyValueStore,
  key: string,
  ttlSeconds: number,
  work: () => Promise<T>,
): Promise<{ held: true; value: T } | { held: false }> {
  const token = randomUUID();
  if (!(await kv.setIfAbsent(key, token, ttlSeconds))) return { held: false };
  const until = Date.now() + MAX_HOLD_TTLS * ttlSeconds * 1000;
  // A renewal that fails is not fatal: the work goes on, and at worst the lock lapses early.
  const renew = setInterval(
    () => {
      if (Date.now() >= until) clearInterval(renew);
      else void kv.expireIfEquals(key, token, ttlSeconds).catch(() => {});
    },
    (ttlSeconds * 1000) / 3,
  );
  try {
    return { held: true, value: await work() };
  } finally {
    clearInterval(renew);
    await kv.delIfEquals(key, token).catch(() => {});
  }
}
