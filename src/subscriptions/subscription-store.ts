import { type Keys, TTL } from '../store/keys.js';
import type { KeyValueStore } from '../store/kv.js';
import type { Subscription, SubscriptionState } from './subscription.js';

/**
 * Subscriptions, their poll state and the indexes by channel and by owner, in the key-value
 * store. Every record's TTL restarts when its subscription is polled, so nothing outlives
 * the subscription by more than TTL.subscription.
 */
export interface SubscriptionStore {
  get(id: string): Promise<Subscription | null>;
  /** Saves a subscription and names it in its channel's and owner's indexes. */
  save(sub: Subscription): Promise<void>;
  /** Removes a subscription, its state and its index entries. */
  remove(sub: Subscription): Promise<void>;
  /** The subscriptions of a channel (ids whose record has gone are dropped from the index). */
  ofChannel(teamId: string, channel: string): Promise<Subscription[]>;
  /** The subscriptions a person owns, in every channel. */
  ownedBy(teamId: string, userId: string): Promise<Subscription[]>;
  state(id: string): Promise<SubscriptionState | null>;
  saveState(id: string, state: SubscriptionState): Promise<void>;
  /** Restarts the TTL of a polled subscription's records and index entries. */
  touch(sub: Subscription): Promise<void>;
}

/** Creates the store over the app's key-value backend. */
export function createSubscriptionStore(kv: KeyValueStore, keys: Keys): SubscriptionStore {
  const read = async <T>(key: string): Promise<T | null> => {
    const raw = await kv.getAndTouch(key, TTL.subscription);
    return raw ? (JSON.parse(raw) as T) : null;
  };
  const listed = async (indexKey: string): Promise<Subscription[]> => {
    const found: Subscription[] = [];
    for (const id of await kv.setMembers(indexKey)) {
      const sub = await read<Subscription>(keys.subscription(id));
      if (sub) found.push(sub);
      else await kv.setRemove(indexKey, id);
    }
    return found.sort((a, b) => a.spaceKey.localeCompare(b.spaceKey));
  };
  const index = async (sub: Subscription) => {
    await kv.setAdd(keys.channelSubscriptions(sub.teamId, sub.channel), sub.id, TTL.subscription);
    await kv.setAdd(keys.ownedSubscriptions(sub.teamId, sub.ownerUserId), sub.id, TTL.subscription);
  };
  return {
    get: (id) => read<Subscription>(keys.subscription(id)),
    async save(sub) {
      await kv.set(keys.subscription(sub.id), JSON.stringify(sub), TTL.subscription);
      await index(sub);
    },
    async remove(sub) {
      await kv.del(keys.subscription(sub.id));
      await kv.del(keys.subscriptionState(sub.id));
      await kv.setRemove(keys.channelSubscriptions(sub.teamId, sub.channel), sub.id);
      await kv.setRemove(keys.ownedSubscriptions(sub.teamId, sub.ownerUserId), sub.id);
    },
    ofChannel: (teamId, channel) => listed(keys.channelSubscriptions(teamId, channel)),
    ownedBy: (teamId, userId) => listed(keys.ownedSubscriptions(teamId, userId)),
    state: (id) => read<SubscriptionState>(keys.subscriptionState(id)),
    async saveState(id, state) {
      await kv.set(keys.subscriptionState(id), JSON.stringify(state), TTL.subscription);
    },
    async touch(sub) {
      await kv.getAndTouch(keys.subscription(sub.id), TTL.subscription);
      await index(sub);
    },
  };
}
