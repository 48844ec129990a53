import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, inject } from 'vitest';

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

/** Deletes every key under `prefixes` on a connection of its own. */
async function deletePrefixes(prefixes: readonly string[]): Promise<void> {
  if (!prefixes.length) return;
  const redis = connectTestRedis();
  try {
    for (const prefix of prefixes) await deletePrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/**
 * A fresh key prefix for the tests of the enclosing `describe` (or file); its keys are deleted
 * (SCAN+DEL) after the last of them. Call it while tests are collected, not inside one.
 */
export function cleanPrefix(): string {
  const prefix = randomPrefix();
  afterAll(() => deletePrefixes([prefix]));
  return prefix;
}

/**
 * Fresh key prefixes, one per test: call the returned function in a test (or its beforeEach)
 * for that test's prefix; the keys of every prefix it gave are deleted after each test.
 */
export function cleanPrefixPerTest(): () => string {
  const given: string[] = [];
  afterEach(() => deletePrefixes(given.splice(0)));
  return () => {
    const prefix = randomPrefix();
    given.push(prefix);
    return prefix;
  };
}
