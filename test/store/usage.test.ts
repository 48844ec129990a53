/**
 * Token usage per Composio user and day (src/store/usage.ts), on real Redis and on the
 * in-process store: a month's figures, the operator's top users, prices, expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createKeys, TTL } from '../../src/store/keys.js';
import type { KeyValueStore } from '../../src/store/kv.js';
import { createMemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { createRedisConnection, createRedisKeyValueStore } from '../../src/store/redis-kv.js';
import { createUsageStore, daysOfMonth, dollarsFor } from '../../src/store/usage.js';
import { cleanPrefix, connectTestRedis, testRedisUrl } from '../kit/redis.js';

const silent = createLogger({ level: 'silent' });
const PRICES = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
const tokens = (input: number, output: number, cache_read = 0, cache_write = 0) => ({
  input,
  output,
  cache_read,
  cache_write,
});

const backends: Array<[string, () => KeyValueStore]> = [
  ['memory', () => createMemoryKeyValueStore()],
  ['redis', () => createRedisKeyValueStore(createRedisConnection(testRedisUrl(), silent))],
];

describe.each(backends)('usage store (%s)', (name, make) => {
  let kv: KeyValueStore;
  const prefix = cleanPrefix();
  let now = new Date('2026-11-30T23:00:00Z');
  beforeAll(() => {
    kv = make();
  });
  afterAll(() => kv.close());

  it('adds up a month per person, prices it, and ranks the top users by cost', async () => {
    const keys = createKeys(prefix);
    const usage = createUsageStore(kv, keys, PRICES, () => now);
    await usage.add('alice', tokens(1_000_000, 0));
    await usage.add('bob', tokens(0, 1_000_000, 2_000_000, 0));
    now = new Date('2026-12-01T08:00:00Z');
    await usage.add('alice', tokens(500_000, 100_000, 0, 1_000_000));
    await usage.add('carol', tokens(10, 10));
    now = new Date('2026-12-02T08:00:00Z');
    await usage.add('alice', tokens(500_000, 0));

    // December only: November's tokens are not this month's.
    const alice = await usage.monthOf('alice');
    expect(alice.tokens).toEqual(tokens(1_000_000, 100_000, 0, 1_000_000));
    expect(alice.dollars).toBeCloseTo(3 + 1.5 + 3.75, 6);
    expect((await usage.monthOf('bob')).tokens).toEqual(tokens(0, 0));
    expect((await usage.monthOf('nobody')).dollars).toBe(0);
    // November, read at its end, has Bob on top (output is dearer).
    const november = await usage.top(10, new Date('2026-11-30T23:59:00Z'));
    expect(november.map((u) => u.composioUserId)).toEqual(['bob', 'alice']);
    expect(november[0]!.dollars).toBeCloseTo(15 + 0.6, 6);

    const top = await usage.top(1);
    expect(top).toEqual([
      { composioUserId: 'alice', tokens: alice.tokens, dollars: alice.dollars },
    ]);
    expect((await usage.top(10)).map((u) => u.composioUserId)).toEqual(['alice', 'carol']);
    if (name === 'redis') {
      const redis = connectTestRedis();
      const ttl = await redis.ttl(keys.usage('2026-12-01', 'input'));
      redis.disconnect();
      expect(ttl).toBeGreaterThan(TTL.usage - 60);
      expect(ttl).toBeLessThanOrEqual(TTL.usage);
    }
  });
});

describe('usage arithmetic', () => {
  it('prices each kind per million tokens', () => {
    expect(dollarsFor(tokens(1_000_000, 1_000_000, 1_000_000, 1_000_000), PRICES)).toBeCloseTo(
      22.05,
      6,
    );
    expect(dollarsFor(tokens(0, 0), PRICES)).toBe(0);
  });

  it('lists the UTC days of the month so far', () => {
    expect(daysOfMonth(new Date('2026-02-03T23:59:59Z'))).toEqual([
      '2026-02-01',
      '2026-02-02',
      '2026-02-03',
    ]);
  });
});
