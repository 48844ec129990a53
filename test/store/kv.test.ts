import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createKeys, TTL } from '../../src/store/keys.js';
import type { KeyValueStore } from '../../src/store/kv.js';
import { createMemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { createRedisConnection, createRedisKeyValueStore } from '../../src/store/redis-kv.js';
import { createStores } from '../../src/store/stores.js';
import { createSubscriptionStore } from '../../src/subscriptions/subscription-store.js';
import { cleanPrefix, connectTestRedis, testRedisUrl } from '../kit/redis.js';

const silent = createLogger({ level: 'silent' });

// The same contract holds for the in-process store and for real Redis.
const backends: Array<[string, () => KeyValueStore]> = [
  ['memory', () => createMemoryKeyValueStore()],
  ['redis', () => createRedisKeyValueStore(createRedisConnection(testRedisUrl(), silent))],
];

describe.each(backends)('KeyValueStore (%s)', (_name, make) => {
  let kv: KeyValueStore;
  const prefix = cleanPrefix();
  beforeAll(() => {
    kv = make();
  });
  afterAll(() => kv.close());

  it('sets, gets and deletes values', async () => {
    await kv.set(`${prefix}:a`, 'one', 60);
    expect(await kv.get(`${prefix}:a`)).toBe('one');
    await kv.del(`${prefix}:a`);
    expect(await kv.get(`${prefix}:a`)).toBeNull();
  });

  it('keeps sets: add (once per member), remove, list; the last member out removes it', async () => {
    const key = `${prefix}:set`;
    await kv.setAdd(key, 'a', 60);
    await kv.setAdd(key, 'b', 60);
    await kv.setAdd(key, 'a', 60);
    expect((await kv.setMembers(key)).sort()).toEqual(['a', 'b']);
    await kv.setRemove(key, 'a');
    expect(await kv.setMembers(key)).toEqual(['b']);
    await kv.setRemove(key, 'b');
    expect(await kv.setMembers(key)).toEqual([]);
    expect(await kv.setMembers(`${prefix}:no-set`)).toEqual([]);
  });

  // That it restarts the TTL is checked below: with PTTL in Redis, with a clock in memory.
  it('getAndTouch returns the value; a missing key stays missing', async () => {
    await kv.set(`${prefix}:touched`, 'kept', 1);
    expect(await kv.getAndTouch(`${prefix}:touched`, 60)).toBe('kept');
    expect(await kv.get(`${prefix}:touched`)).toBe('kept');
    expect(await kv.getAndTouch(`${prefix}:absent`, 60)).toBeNull();
    expect(await kv.get(`${prefix}:absent`)).toBeNull();
  });

  it('count adds up, and its window runs from the first addition', async () => {
    expect(await kv.count(`${prefix}:uses`, 1, 60)).toBe(1);
    expect(await kv.count(`${prefix}:uses`, 3, 600)).toBe(4);
    expect(await kv.get(`${prefix}:uses`)).toBe('4');
  });

  it('setIfAbsent lets exactly one caller win', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => kv.setIfAbsent(`${prefix}:once`, String(i), 60)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('compare-and-delete and compare-and-expire act only for the owner', async () => {
    await kv.set(`${prefix}:lock`, 'owner-1', 60);
    expect(await kv.delIfEquals(`${prefix}:lock`, 'owner-2')).toBe(false);
    expect(await kv.expireIfEquals(`${prefix}:lock`, 'owner-2', 5)).toBe(false);
    expect(await kv.expireIfEquals(`${prefix}:lock`, 'owner-1', 5)).toBe(true);
    expect(await kv.delIfEquals(`${prefix}:lock`, 'owner-1')).toBe(true);
    expect(await kv.get(`${prefix}:lock`)).toBeNull();
  });

  it('keeps thread history per team, channel and thread', async () => {
    const stores = createStores<{ role: string; content: string }>(kv, createKeys(prefix));
    const thread = { teamId: 'T1', channel: 'C1', threadTs: '1.1' };
    await stores.history.save(thread, [{ role: 'user', content: 'hi' }]);
    expect(await stores.history.load(thread)).toEqual([{ role: 'user', content: 'hi' }]);
    expect(await stores.history.load({ ...thread, teamId: 'T2' })).toEqual([]);
  });

  it('writeAll sets and deletes together', async () => {
    await kv.set(`${prefix}:gone`, 'old', 60);
    await kv.writeAll([
      { key: `${prefix}:w1`, value: 'one', ttlSeconds: 60 },
      { key: `${prefix}:w2`, value: 'two', ttlSeconds: 60 },
      { key: `${prefix}:gone`, delete: true },
    ]);
    expect(await kv.get(`${prefix}:w1`)).toBe('one');
    expect(await kv.get(`${prefix}:w2`)).toBe('two');
    expect(await kv.get(`${prefix}:gone`)).toBeNull();
    await kv.writeAll([]);
  });

  it('writeAll adds to one member in several scored sets', async () => {
    const add = (key: string, member: string, n: number) => ({
      key: `${prefix}:${key}`,
      member,
      add: n,
      ttlSeconds: 60,
    });
    await kv.writeAll([add('in', 'u1', 3), add('out', 'u1', 5)]);
    await kv.writeAll([add('in', 'u1', 4)]);
    await kv.writeAll([add('out', 'u2', 1), { key: `${prefix}:tag`, value: 'x', ttlSeconds: 60 }]);
    expect(await kv.scoreOf(`${prefix}:in`, 'u1')).toBe(7);
    expect(await kv.scores(`${prefix}:out`)).toEqual({ u1: 5, u2: 1 });
    expect(await kv.get(`${prefix}:tag`)).toBe('x');
  });

  it('setVersioned writes only at the version asked for, and moves the version on', async () => {
    const [key, version] = [`${prefix}:doc`, `${prefix}:doc-v`];
    expect(await kv.setVersioned(key, 'one', 60, version, '0')).toBe(true);
    expect(await kv.getMany([key, version])).toEqual(['one', '1']);
    // A writer that read version 0 is too late now: nothing is written.
    expect(await kv.setVersioned(key, 'stale', 60, version, '0')).toBe(false);
    expect(await kv.get(key)).toBe('one');
    expect(await kv.setVersioned(key, 'two', 60, version, '1')).toBe(true);
    // Without a version asked for, the write always lands (and still moves the version on).
    expect(await kv.setVersioned(key, 'three', 60, version)).toBe(true);
    expect(await kv.getMany([key, version])).toEqual(['three', '3']);
  });

  it('getMany reads several values in the order asked, null where absent', async () => {
    await kv.set(`${prefix}:m1`, 'one', 60);
    await kv.set(`${prefix}:m3`, 'three', 60);
    expect(await kv.getMany([`${prefix}:m3`, `${prefix}:m2`, `${prefix}:m1`])).toEqual([
      'three',
      null,
      'one',
    ]);
    expect(await kv.getMany([])).toEqual([]);
  });

  it('finishTurn moves the cursor, marks the turn done and forgets its record', async () => {
    const stores = createStores(kv, createKeys(prefix));
    const thread = { teamId: 'T1', channel: 'C1', threadTs: '5.5' };
    await stores.turns.set({ status: 'finishing' }, 'turn-1');
    expect(await stores.lookUpTurn('turn-1')).toEqual({
      done: false,
      record: { status: 'finishing' },
      handOver: null,
    });
    // Writes given alongside (the turn's usage tally) land in the same transaction.
    const tally = { key: `${prefix}:tally`, member: 'u1', add: 9, ttlSeconds: 60 };
    await stores.finishTurn('turn-1', thread, '6.6', [tally]);
    expect(await stores.threadCursors.get('T1', 'C1', '5.5')).toBe('6.6');
    expect(await stores.doneTurns.get('turn-1')).toBe('1');
    expect(await stores.turns.get('turn-1')).toBeNull();
    expect(await kv.scoreOf(tally.key, 'u1')).toBe(9);
    expect(await stores.lookUpTurn('turn-1')).toEqual({ done: true, record: null, handOver: null });
  });
});

describe('getAndTouch keeps a key alive while it is read (memory)', () => {
  it('extends the life only of keys that are read', async () => {
    let clock = 0;
    const kv = createMemoryKeyValueStore(() => clock);
    await kv.set('read', 'r', 10);
    await kv.set('unread', 'u', 10);
    clock = 8_000;
    expect(await kv.getAndTouch('read', 10)).toBe('r');
    expect(await kv.get('unread')).toBe('u'); // a plain read does not extend
    clock = 16_000;
    expect(await kv.get('read')).toBe('r');
    expect(await kv.get('unread')).toBeNull();
    clock = 18_001;
    expect(await kv.getAndTouch('read', 10)).toBeNull();
  });

  it('composioUsers.get refreshes the mapping (180 days from the last read)', async () => {
    let clock = 0;
    const stores = createStores(
      createMemoryKeyValueStore(() => clock),
      createKeys('m'),
    );
    await stores.composioUsers.set('alice@example.com', 'T', 'U');
    clock = (TTL.composioUser - 1) * 1000;
    expect(await stores.composioUsers.get('T', 'U')).toBe('alice@example.com');
    clock += (TTL.composioUser - 1) * 1000;
    expect(await stores.composioUsers.get('T', 'U')).toBe('alice@example.com');
  });
});

describe('Redis keys', () => {
  const prefix = cleanPrefix();
  let redis: Redis;
  beforeAll(() => {
    redis = connectTestRedis();
  });
  afterAll(() => redis.quit());

  it('getAndTouch restarts the TTL of the key it reads, and only of that one', async () => {
    const kv = createRedisKeyValueStore(redis);
    await kv.set(`${prefix}:touched`, 'kept', 1);
    await kv.set(`${prefix}:untouched`, 'left', 1);
    expect(await kv.getAndTouch(`${prefix}:touched`, 60)).toBe('kept');
    expect(await redis.pttl(`${prefix}:touched`)).toBeGreaterThan(59_000);
    expect(await redis.pttl(`${prefix}:untouched`)).toBeLessThanOrEqual(1_000);
    expect(await kv.get(`${prefix}:untouched`)).toBe('left'); // a plain read does not extend
    expect(await redis.pttl(`${prefix}:untouched`)).toBeLessThanOrEqual(1_000);
  });

  it("setAdd restarts the set's TTL", async () => {
    const kv = createRedisKeyValueStore(redis);
    await kv.setAdd(`${prefix}:index`, 'a', 1);
    await kv.setAdd(`${prefix}:index`, 'b', 60);
    expect(await redis.pttl(`${prefix}:index`)).toBeGreaterThan(59_000);
  });

  it('subscriptions: every record and index carries a TTL, restarted by a poll', async () => {
    const own = `${prefix}:subs`;
    const store = createSubscriptionStore(createRedisKeyValueStore(redis), createKeys(own));
    const sub = {
      id: 'sub-T-C-MKT',
      teamId: 'T',
      channel: 'C',
      spaceKey: 'MKT',
      spaceName: 'Marketing',
      kinds: ['page' as const],
      ownerUserId: 'U',
      ownerComposioUserId: 'slack-T-U',
      createdAt: 0,
    };
    await store.save(sub);
    await store.saveState(sub.id, { highWater: 0 });
    const keys = await redis.keys(`${own}:*`);
    expect(keys).toHaveLength(4);
    for (const key of keys) await redis.expire(key, 5);
    await store.touch(sub);
    await store.state(sub.id);
    for (const key of keys) expect(await redis.ttl(key)).toBe(TTL.subscription);
    await store.remove(sub);
    expect(await redis.keys(`${own}:*`)).toEqual([]);
  });

  it('count keeps the TTL it was created with', async () => {
    const kv = createRedisKeyValueStore(redis);
    await kv.count(`${prefix}:window`, 2, 60);
    await kv.count(`${prefix}:window`, 1, 6_000);
    expect(await redis.pttl(`${prefix}:window`)).toBeLessThanOrEqual(60_000);
  });

  it('expire: every write carries a TTL', async () => {
    const own = `${prefix}:stores`;
    const kv = createRedisKeyValueStore(redis);
    const stores = createStores(kv, createKeys(own));
    await stores.history.save({ teamId: 'T', channel: 'C', threadTs: '1' }, []);
    await stores.composioUsers.set('slack-T-U', 'T', 'U');
    await stores.sessions.set('trs_1', 'slack-T-U');
    await stores.finishTurn('turn-1', { teamId: 'T', channel: 'C', threadTs: '1' }, '2');
    await kv.writeAll([{ key: `${own}:usage`, member: 'U', add: 1, ttlSeconds: 60 }]);
    const keys = await redis.keys(`${own}:*`);
    // history and its version, user, session, cursor, done mark, usage
    expect(keys).toHaveLength(7);
    for (const key of keys) expect(await redis.ttl(key)).toBeGreaterThan(0);
  });
});
