import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { KeyValueStore } from './kv.js';

// Compare-and-act scripts: the check and the write happen atomically inside Redis.
const DEL_IF_EQUALS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const GET_AND_TOUCH = `local v = redis.call('get', KEYS[1]) if v then redis.call('expire', KEYS[1], ARGV[1]) end return v`;
const EXPIRE_IF_EQUALS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end`;
// ARGV[3] '' for an unconditional write; the counter is a plain string, set with the value's TTL.
const SET_VERSIONED = `local v = redis.call('get', KEYS[2]) or '0'
if ARGV[3] ~= '' and v ~= ARGV[3] then return 0 end
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('set', KEYS[2], tostring(tonumber(v) + 1), 'EX', ARGV[2])
return 1`;

// While Redis is down a command fails after one reconnect attempt (or the timeout), so a user
// hears "try again" quickly instead of waiting; commands sent while connecting wait.
export const REDIS_COMMAND_RETRIES = 1;
// Redis answers in milliseconds: five seconds without an answer is an outage, not load.
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;
// Reconnect soon after a blip, then every two seconds while it lasts: quick, never a busy loop.
const RECONNECT_STEP_MS = 200;
const RECONNECT_MAX_MS = 2_000;

/**
 * Creates a Redis connection tuned to fail fast while Redis is down and reconnect by itself.
 * `commandTimeoutMs` is shorter on the ack path (ACK_STEP_TIMEOUT_MS in stall-guard.ts). Never
 * for blocking commands: BullMQ's worker connection has no timeout (see durable-dispatcher.ts).
 */
export function createRedisConnection(
  url: string,
  logger: Logger,
  options: { commandTimeoutMs?: number } = {},
): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: REDIS_COMMAND_RETRIES,
    commandTimeout: options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * RECONNECT_STEP_MS, RECONNECT_MAX_MS),
    lazyConnect: false,
    // Commands issued in the same tick leave in one write (a turn's lookups side by side, and
    // many turns at once under load): a write is a syscall, dear on a VM. Order is kept, and no
    // command on this connection blocks (BullMQ's connections are its own, and do not do this).
    enableAutoPipelining: true,
  });
  let healthy = true;
  redis.on('error', (err) => {
    if (healthy) logger.warn({ err: { message: err.message } }, 'redis connection error');
    healthy = false;
  });
  redis.on('ready', () => {
    if (!healthy) logger.info('redis connection restored');
    healthy = true;
  });
  return redis;
}

type Script = (...args: string[]) => Promise<unknown>;
type ScriptedRedis = Redis & {
  kvGetAndTouch: Script;
  kvDelIfEquals: Script;
  kvExpireIfEquals: Script;
  kvSetVersioned: Script;
};

/** KeyValueStore over Redis, shared by every instance of the app. */
export function createRedisKeyValueStore(connection: Redis): KeyValueStore {
  // Sent as EVALSHA (the body only if Redis lacks it): getAndTouch runs on every turn.
  connection.defineCommand('kvGetAndTouch', { numberOfKeys: 1, lua: GET_AND_TOUCH });
  connection.defineCommand('kvDelIfEquals', { numberOfKeys: 1, lua: DEL_IF_EQUALS });
  connection.defineCommand('kvExpireIfEquals', { numberOfKeys: 1, lua: EXPIRE_IF_EQUALS });
  connection.defineCommand('kvSetVersioned', { numberOfKeys: 2, lua: SET_VERSIONED });
  const redis = connection as ScriptedRedis;
  return {
    get: (key) => redis.get(key),
    getMany: async (keys) => (keys.length ? redis.mget(...keys) : []),
    async getAndTouch(key, ttlSeconds) {
      // A script rather than GETEX, which needs Redis 6.2.
      return (await redis.kvGetAndTouch(key, String(ttlSeconds))) as string | null;
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, 'EX', ttlSeconds);
    },
    async setVersioned(key, value, ttlSeconds, versionKey, ifVersion) {
      const args = [key, versionKey, value, String(ttlSeconds), ifVersion ?? ''];
      return Number(await redis.kvSetVersioned(...args)) === 1;
    },
    async setIfAbsent(key, value, ttlSeconds) {
      return (await redis.set(key, value, 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async count(key, n, ttlSeconds) {
      // Created with its TTL first (NX leaves an existing one alone), then added to: one round trip.
      const replies = await redis
        .multi()
        .set(key, '0', 'EX', ttlSeconds, 'NX')
        .incrby(key, n)
        .exec();
      const [err, total] = replies?.[1] ?? [new Error('count: transaction discarded')];
      if (err) throw err;
      return Number(total);
    },
    async writeAll(writes) {
      if (!writes.length) return;
      const tx = redis.multi();
      for (const w of writes) {
        if ('delete' in w) tx.del(w.key);
        else if ('add' in w) tx.zincrby(w.key, w.add, w.member).expire(w.key, w.ttlSeconds);
        else tx.set(w.key, w.value, 'EX', w.ttlSeconds);
      }
      const replies = await tx.exec();
      const failed = replies?.find(([err]) => err)?.[0];
      if (!replies || failed) throw failed ?? new Error('writeAll: transaction discarded');
    },
    async scoreOf(key, member) {
      return Number((await redis.zscore(key, member)) ?? 0);
    },
    async scores(key) {
      const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
      const out: Record<string, number> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = Number(flat[i + 1]);
      return out;
    },
    async del(key) {
      await redis.del(key);
    },
    async setAdd(key, member, ttlSeconds) {
      await redis.multi().sadd(key, member).expire(key, ttlSeconds).exec();
    },
    async setRemove(key, member) {
      await redis.srem(key, member);
    },
    setMembers: (key) => redis.smembers(key),
    async delIfEquals(key, value) {
      return (await redis.kvDelIfEquals(key, value)) === 1;
    },
    async expireIfEquals(key, value, ttlSeconds) {
      return (await redis.kvExpireIfEquals(key, value, String(ttlSeconds))) === 1;
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
