/**
 * The subscription use case behind `/confluence subscribe | unsubscribe | subscriptions` and
 * the App Home: checks the space with the caller's own connection, keeps the records, starts
 * and stops the polls, tells the channel.
 */
import { stripConnectLinks } from '../agent/connection-links.js';
import type { SessionProvider } from '../composio/composio-sessions.js';
import { listSpaceRows } from '../confluence/page-reads.js';
import type { Logger } from '../logger.js';
import type { PollScheduler } from './poll-scheduler.js';
import { type ContentKind, type Subscription, subscriptionIdOf } from './subscription.js';
import type { SubscriptionOutput } from './subscription-output.js';
import type { SubscriptionStore } from './subscription-store.js';

/** Who asks, where. */
export interface Caller {
  teamId: string;
  channel: string;
  userId: string;
  composioUserId: string;
}

/** The outcome of a subscribe: done, or why not (each answered privately). */
export type SubscribeResult =
  | { ok: true; sub: Subscription; replaced: boolean }
  | { ok: false; reason: 'not_connected' }
  /** The space is not among those the caller can see; `visible` lists some that are. */
  | { ok: false; reason: 'no_space'; visible: string[] }
  | { ok: false; reason: 'lookup_failed' };

/** A channel's subscription with what its poller knows. */
export interface ListedSubscription {
  sub: Subscription;
  lastDeliveryAt?: number;
  paused?: { since: number; reason: string };
}

/** Subscriptions for the Slack surfaces. */
export interface Subscriptions {
  subscribe(caller: Caller, spaceKey: string, kinds: ContentKind[]): Promise<SubscribeResult>;
  /** Removes this channel's subscription to the space; false when there was none. */
  unsubscribe(caller: Omit<Caller, 'composioUserId'>, spaceKey: string): Promise<boolean>;
  ofChannel(teamId: string, channel: string): Promise<ListedSubscription[]>;
  ownedBy(teamId: string, userId: string): Promise<ListedSubscription[]>;
}

/** What the use case needs. */
export interface SubscriptionDeps {
  store: SubscriptionStore;
  sessions: SessionProvider;
  scheduler: PollScheduler;
  output: SubscriptionOutput;
  logger: Logger;
  now?: () => number;
}

/** Spaces named in a "no such space" answer: enough to spot the one meant. */
const VISIBLE_SPACES_SHOWN = 10;

/** Creates the use case. */
export function createSubscriptions(d: SubscriptionDeps): Subscriptions {
  const now = d.now ?? Date.now;
  const withState = async (sub: Subscription): Promise<ListedSubscription> => {
    const state = await d.store.state(sub.id);
    return {
      sub,
      ...(state?.lastDeliveryAt ? { lastDeliveryAt: state.lastDeliveryAt } : {}),
      ...(state?.paused ? { paused: state.paused } : {}),
    };
  };
  return {
    async subscribe(caller, spaceKey, kinds) {
      let rows: Awaited<ReturnType<typeof listSpaceRows>>;
      try {
        const { host } = await d.sessions.forUser(caller.composioUserId);
        rows = await listSpaceRows(host, 'Check the space for a channel subscription', [
          spaceKey.toUpperCase(),
        ]);
        // Not there: the spaces they can see, to name a few in the answer.
        if (rows.ok && !rows.value.length)
          rows = await listSpaceRows(host, 'List spaces for a subscription answer');
      } catch (err) {
        d.logger.warn(
          { err: { message: stripConnectLinks(String((err as Error)?.message).slice(0, 200)) } },
          'subscribe: space lookup failed',
        );
        return { ok: false, reason: 'lookup_failed' };
      }
      if (!rows.ok)
        return {
          ok: false,
          reason: rows.reason === 'no Confluence connection' ? 'not_connected' : 'lookup_failed',
        };
      const space = rows.value.find((s) => s.key.toUpperCase() === spaceKey.toUpperCase());
      if (!space)
        return {
          ok: false,
          reason: 'no_space',
          visible: rows.value.map((s) => s.key).slice(0, VISIBLE_SPACES_SHOWN),
        };
      const id = subscriptionIdOf(caller.teamId, caller.channel, space.key);
      const existing = await d.store.get(id);
      const sub: Subscription = {
        id,
        teamId: caller.teamId,
        channel: caller.channel,
        spaceKey: space.key,
        spaceName: space.name,
        kinds,
        ownerUserId: caller.userId,
        ownerComposioUserId: caller.composioUserId,
        createdAt: now(),
      };
      if (existing) await d.store.remove(existing);
      await d.store.save(sub);
      await d.store.saveState(id, { highWater: sub.createdAt });
      try {
        // Told before polling starts: a channel the bot cannot post in gets no subscription.
        await d.output.notify({ kind: 'subscribed', sub, replaced: Boolean(existing) });
      } catch (err) {
        await d.store.remove(sub);
        throw err;
      }
      await d.scheduler.start(id);
      return { ok: true, sub, replaced: Boolean(existing) };
    },
    async unsubscribe(caller, spaceKey) {
      const id = subscriptionIdOf(caller.teamId, caller.channel, spaceKey);
      const sub = await d.store.get(id);
      if (!sub) return false;
      await d.scheduler.stop(id);
      await d.store.remove(sub);
      await d.output.notify({ kind: 'unsubscribed', sub, byUserId: caller.userId });
      return true;
    },
    ofChannel: async (teamId, channel) =>
      Promise.all((await d.store.ofChannel(teamId, channel)).map(withState)),
    ownedBy: async (teamId, userId) =>
      Promise.all((await d.store.ownedBy(teamId, userId)).map(withState)),
  };
}
