import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** The URL of this run's Redis (see global-setup.ts). */
export const testRedisUrl = (): string => inject('redisUrl');

/** A fresh key prefix so each test's keys never meet another's. */
export const randomPrefix = (): string => `test-${randomBytes(4).toString('hex')}`;

/** A direct Redis connection for assertions; quit it in afterEach/afterAll. */
export function connectTestRedis(): Redis {
  return new Redis(testRedisUrl(), { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** Deletes every key under `prefix` (test clean-up). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (found.length) await redis.del(...found);
    cursor = next;
  } while (cursor !== '0');
}
