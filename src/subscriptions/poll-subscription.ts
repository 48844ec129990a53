import type { Counter } from 'prom-client';
/**
 * One poll of one subscription: read the space's changes since the high-water mark with the
 * owner's connection, post the unseen ones, move the mark. Access lost pauses it (the channel
 * told once); a reader that recovers resumes it with a catch-up. Other failures back off, and
 * the channel hears of an outage once.
 */
import { stripConnectLinks } from '../agent/connection-links.js';
import type { SessionProvider } from '../composio/composio-sessions.js';
import { bestEffort, type Logger } from '../logger.js';
import { withHeldLock } from '../store/held-lock.js';
import { type Keys, TTL } from '../store/keys.js';
import type { KeyValueStore } from '../store/kv.js';
import { type ChangeRead, readChanges } from './change-reads.js';
import { deliverChanges } from './delivery.js';
import type { SubscriptionState } from './subscription.js';
import type { SubscriptionOutput } from './subscription-output.js';
import type { SubscriptionStore } from './subscription-store.js';

/**
 * Each poll reads again this far behind the high-water mark: changes saved late (clock skew
 * between Confluence's nodes, a search index a little behind) or moved between result pages
 * while paging. The seen-set keeps what is read twice from being posted twice.
 */
export const POLL_OVERLAP_MS = 5 * 60_000;
/** A catch-up after a long pause reads at most this far back (the seen-set's lifetime). */
export const MAX_LOOKBACK_MS = 7 * 24 * 3_600_000;
/** Failed polls back off: twice as long each time, from one interval up to this… */
export const MAX_BACKOFF_MS = 15 * 60_000;
/** …or this many intervals, if less: a short interval asked for quick news, also after an outage. */
export const MAX_BACKOFF_INTERVALS = 30;
/** The channel hears of an outage after this many failed polls in a row, once per outage. */
export const FAILURES_BEFORE_NOTICE = 3;

/** What one poll did (for the scheduler and the metrics). */
export type PollOutcome =
  | 'gone'
  | 'delivered'
  | 'idle'
  | 'busy'
  | 'paused'
  | 'failed'
  | 'backing-off';

/** What polling needs. */
export interface PollDeps {
  store: SubscriptionStore;
  kv: KeyValueStore;
  keys: Keys;
  sessions: SessionProvider;
  output: SubscriptionOutput;
  intervalMs: number;
  /**
   * Whether the owner is still in the workspace; one who left pauses the subscription like lost
   * access. Without it, owners are taken to be there.
   */
  ownerPresent?: (teamId: string, userId: string) => Promise<boolean>;
  /** This instance's counts of polls, posts and failures (for /metrics); none in unit tests. */
  counters?: SubscriptionCounters;
  logger: Logger;
  now?: () => number;
}

/** Counters a poll adds to: one prom-client counter each. */
export interface SubscriptionCounters {
  polls: Pick<Counter, 'inc'>;
  posts: Pick<Counter, 'inc'>;
  failures: Pick<Counter, 'inc'>;
}

/** Creates the poll of one subscription by id. */
export function createPoller(d: PollDeps) {
  const now = d.now ?? Date.now;
  /**
   * Counts on this instance's metrics, and in the fleet-wide Redis counter that the soak run
   * and the tests read (a killed instance's own figures go with it).
   */
  const count = (name: keyof SubscriptionCounters, n = 1) => {
    d.counters?.[name].inc(n);
    return bestEffort(
      d.logger,
      `count subscription ${name}`,
      'a metric only',
      d.kv.count(d.keys.counter(`subscription_${name}`), n, TTL.counter),
    );
  };

  async function read(
    ownerComposioUserId: string,
    q: Parameters<typeof readChanges>[1],
  ): Promise<ChangeRead> {
    try {
      const { host } = await d.sessions.forUser(ownerComposioUserId);
      return await readChanges(host, q);
    } catch (err) {
      // Composio unreachable, a session that cannot be opened: an outage, not lost access.
      // Never a connect link in a log line or the channel.
      const reason = stripConnectLinks(String((err as Error)?.message).slice(0, 120));
      return { ok: false, access: false, reason };
    }
  }

  /**
   * One poll of a subscription at a time, fleet-wide: a slow poll must not overlap the next one
   * its schedule starts, which would read and write the same state at once (a failure count
   * lost, a notice missed). The lock is renewed while the poll runs; a dead holder's lapses
   * within TTL.subscriptionPoll, so the other instances' polls go on soon after.
   */
  async function poll(id: string): Promise<PollOutcome> {
    const polled = await withHeldLock(d.kv, d.keys.subscriptionPoll(id), TTL.subscriptionPoll, () =>
      pollOnce(id),
    );
    return polled.held ? polled.value : 'busy';
  }

  async function pollOnce(id: string): Promise<PollOutcome> {
    const sub = await d.store.get(id);
    if (!sub) return 'gone';
    await d.store.touch(sub);
    const t = now();
    const state: SubscriptionState = (await d.store.state(id)) ?? { highWater: sub.createdAt };
    if (state.failing && state.failing.retryAt > t) return 'backing-off';
    await count('polls');
    const since = Math.max(state.highWater - POLL_OVERLAP_MS, t - MAX_LOOKBACK_MS);
    const present = (await d.ownerPresent?.(sub.teamId, sub.ownerUserId)) ?? true;
    const found: ChangeRead = present
      ? await read(sub.ownerComposioUserId, {
          spaceKey: sub.spaceKey,
          kinds: sub.kinds,
          since,
          now: t,
        })
      : { ok: false, access: true, reason: 'they have left the workspace' };
    const log = d.logger.child({ subscription: id });
    if (!found.ok && found.access) {
      if (!state.paused) {
        state.paused = { since: t, reason: found.reason };
        delete state.failing;
        await d.store.saveState(id, state);
        log.info({ reason: found.reason }, 'subscription paused: the owner cannot read the space');
        // Once per pause, whichever instance polls: the notice's key is its pause's start.
        if (
          await d.kv.setIfAbsent(
            d.keys.subscriptionNotice(id, `paused-${t}`),
            '1',
            TTL.subscriptionNotice,
          )
        )
          await d.output.notify({ kind: 'paused', sub, reason: found.reason });
      }
      return 'paused';
    }
    if (!found.ok) {
      await count('failures');
      const failures = (state.failing?.count ?? 0) + 1;
      const since0 = state.failing?.since ?? t;
      const backoff = Math.min(
        d.intervalMs * 2 ** Math.min(failures - 1, 20),
        MAX_BACKOFF_MS,
        d.intervalMs * MAX_BACKOFF_INTERVALS,
      );
      state.failing = { since: since0, count: failures, retryAt: t + backoff };
      await d.store.saveState(id, state);
      log.warn({ failures, backoffMs: backoff, reason: found.reason }, 'subscription poll failed');
      if (
        failures >= FAILURES_BEFORE_NOTICE &&
        (await d.kv.setIfAbsent(
          d.keys.subscriptionNotice(id, `failing-${since0}`),
          '1',
          TTL.subscriptionNotice,
        ))
      )
        await d.output.notify({ kind: 'failing', sub });
      return 'failed';
    }
    const resumedFrom = state.paused?.since;
    if (resumedFrom !== undefined) {
      log.info('subscription resumed');
      const key = d.keys.subscriptionNotice(id, `resumed-${resumedFrom}`);
      if (await d.kv.setIfAbsent(key, '1', TTL.subscriptionNotice))
        await d.output.notify({ kind: 'resumed', sub });
    }
    // Changes from before the subscription are not news to the channel.
    const changes = found.changes.filter((c) => c.when >= sub.createdAt);
    const delivered = await deliverChanges({
      kv: d.kv,
      keys: d.keys,
      output: d.output,
      sub,
      changes,
      catchUpFrom: resumedFrom,
      now: t,
    });
    if (!delivered.locked) {
      log.debug('subscription poll found its channel busy: next time');
      return 'busy';
    }
    const newest = found.changes.reduce((max, c) => Math.max(max, c.when), state.highWater);
    const next: SubscriptionState = {
      highWater: newest,
      ...(delivered.posts
        ? { lastDeliveryAt: t }
        : state.lastDeliveryAt
          ? { lastDeliveryAt: state.lastDeliveryAt }
          : {}),
    };
    await d.store.saveState(id, next);
    log.debug(
      {
        found: found.changes.length,
        posts: delivered.posts,
        highWater: newest,
        complete: found.complete,
      },
      'subscription polled',
    );
    if (delivered.posts) await count('posts', delivered.posts);
    return delivered.posts ? 'delivered' : 'idle';
  }

  return poll;
}

/** Polls a subscription by id. */
export type Poll = ReturnType<typeof createPoller>;
