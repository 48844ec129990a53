/** The event-id dedupe middleware against real Redis: claim briefly, keep once handled, release on failure. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { createEventDedupe } from '../../../src/slack/plumbing/dedupe.js';
import { createKeys, TTL } from '../../../src/store/keys.js';
import { createRedisConnection, createRedisKeyValueStore } from '../../../src/store/redis-kv.js';
import { cleanPrefix, testRedisUrl } from '../../kit/redis.js';
import { freePort } from '../../kit/redis-server.js';

const logger = createLogger({ level: 'silent' });
const boltLogger = { debug() {}, warn() {}, info() {}, error() {} };

describe('event dedupe', () => {
  const keys = createKeys(cleanPrefix());
  const kv = createRedisKeyValueStore(createRedisConnection(testRedisUrl(), logger));
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await kv.close();
    await redis.quit();
  });

  const dedupe = createEventDedupe(kv, keys);
  /** Runs the middleware for one delivery of `eventId`, with `listeners` as what comes next. */
  const deliver = (eventId: string, listeners: () => Promise<void>) => {
    // Only the fields the middleware reads; the rest of Bolt's arguments do not matter here.
    const args: unknown = { body: { event_id: eventId }, next: listeners, logger: boltLogger };
    return (dedupe as (a: unknown) => Promise<void>)(args);
  };

  it('holds a delivery briefly while it is handled, then remembers it for a day', async () => {
    const id = 'EvHANDLED1';
    let ttlWhileHandled = -1;
    let runs = 0;
    await deliver(id, async () => {
      runs += 1;
      ttlWhileHandled = await redis.ttl(keys.event(id));
      // A duplicate arriving meanwhile (another replica, a quick retry) does not run.
      await deliver(id, async () => {
        runs += 1;
      });
    });
    expect(runs).toBe(1);
    // Short while pending, so that a process dying here does not swallow Slack's retry.
    expect(ttlWhileHandled).toBeGreaterThan(0);
    expect(ttlWhileHandled).toBeLessThanOrEqual(10);
    await expect.poll(() => redis.ttl(keys.event(id))).toBeGreaterThan(TTL.event - 60);
    await deliver(id, async () => {
      runs += 1;
    });
    expect(runs).toBe(1);
  });

  it('releases a delivery whose listeners failed, so Slack retrying it is not dropped', async () => {
    const id = 'EvFAILED1';
    await expect(
      deliver(id, async () => {
        throw new Error('queue refused');
      }),
    ).rejects.toThrow('queue refused');
    expect(await redis.exists(keys.event(id))).toBe(0);
    let retried = false;
    await deliver(id, async () => {
      retried = true;
    });
    expect(retried).toBe(true);
  });

  it('without an answering store, drops a retry of a delivery this process took, not a failed one', async () => {
    // Nothing listens on this port: every claim fails, as with Redis down or hanging.
    const down = createRedisKeyValueStore(
      createRedisConnection(`redis://127.0.0.1:${await freePort()}`, logger, {
        commandTimeoutMs: 200,
      }),
    );
    const offline = createEventDedupe(down, keys) as (a: unknown) => Promise<void>;
    const deliverOffline = (eventId: string, listeners: () => Promise<void>) =>
      offline({ body: { event_id: eventId }, next: listeners, logger: boltLogger });
    try {
      let runs = 0;
      const count = async () => {
        runs += 1;
      };
      await deliverOffline('EvOFFLINE1', count);
      await deliverOffline('EvOFFLINE1', count);
      await deliverOffline('EvOFFLINE2', count);
      expect(runs).toBe(2);
      await expect(
        deliverOffline('EvOFFLINE3', async () => {
          throw new Error('queue refused');
        }),
      ).rejects.toThrow('queue refused');
      await deliverOffline('EvOFFLINE3', count);
      expect(runs).toBe(3);
    } finally {
      await down.close();
    }
  });
});
