/**
 * Posts changes in a channel exactly once, across restarts, instances and overlapping
 * subscriptions. For each message: claim every change it carries (channel + content
 * id:version) with the message's mark, post the message with the mark in its metadata, then
 * record the changes as posted. All of it under the channel's lock, so one poll at a time
 * posts there. A claim found still holding a mark was left by a poll that died between claim
 * and post: the channel's history says whether that message went out.
 */
import { randomUUID } from 'node:crypto';
import { withHeldLock } from '../store/held-lock.js';
import { type Keys, TTL } from '../store/keys.js';
import type { KeyValueStore } from '../store/kv.js';
import { type Change, changeKey, type Subscription } from './subscription.js';
import type { Delivery, SubscriptionOutput } from './subscription-output.js';

/** Up to this many changes in one poll are posted as cards; more become one digest. */
export const CARDS_MAX = 3;
/** Changes in one digest message: 50 lines fit Slack's 50 blocks with room to spare. */
export const DIGEST_MAX = 50;
/** Changes older than this when a paused subscription resumes are counted, not listed. */
export const CATCH_UP_DETAIL_MS = 24 * 3_600_000;
const POSTED = 'posted';

/** The outcome of one delivery run. */
export interface DeliveryResult {
  /** False when another poll holds the channel: nothing was posted, try again next poll. */
  locked: boolean;
  /** Messages posted. */
  posts: number;
}

/** Options for {@link deliverChanges}. */
export interface DeliverArgs {
  kv: KeyValueStore;
  keys: Keys;
  output: SubscriptionOutput;
  sub: Subscription;
  changes: Change[];
  /** Set on the first poll after a pause: older changes are counted in one line. */
  catchUpFrom?: number;
  now: number;
}

/** Posts the changes not yet posted in the subscription's channel; each exactly once. */
export async function deliverChanges(a: DeliverArgs): Promise<DeliveryResult> {
  const { kv, keys, sub } = a;
  // Renewed while the burst posts, however long; a dead holder's lapses within TTL.channelLock.
  const delivered = await withHeldLock(
    kv,
    keys.channelLock(sub.teamId, sub.channel),
    TTL.channelLock,
    async () => {
      const fresh = await unposted(a);
      let posts = 0;
      for (const delivery of plan(sub, fresh, a.catchUpFrom, a.now)) {
        await postOnce(a, delivery, changesOf(delivery, fresh, a.catchUpFrom, a.now));
        posts += 1;
      }
      return posts;
    },
  );
  return delivered.held ? { locked: true, posts: delivered.value } : { locked: false, posts: 0 };
}

const claimKey = (a: DeliverArgs, c: Change) =>
  a.keys.delivered(a.sub.teamId, a.sub.channel, changeKey(c));

/** The changes not posted in the channel yet; a stale claim is settled by the channel's history. */
async function unposted(a: DeliverArgs): Promise<Change[]> {
  const unique = new Map(a.changes.map((c) => [changeKey(c), c]));
  const fresh: Change[] = [];
  const checked = new Map<string, boolean>();
  for (const change of unique.values()) {
    const claim = await a.kv.get(claimKey(a, change));
    if (claim === POSTED) continue;
    if (claim) {
      let posted = checked.get(claim);
      if (posted === undefined) {
        const [mark, at] = claim.split('@');
        posted = await a.output.isPosted(a.sub.channel, mark!, Number(at) || 0);
        checked.set(claim, posted);
      }
      if (posted) {
        await a.kv.set(claimKey(a, change), POSTED, TTL.delivered);
        continue;
      }
    }
    fresh.push(change);
  }
  return fresh.sort((x, y) => x.when - y.when);
}

/** Cards for a few changes, digests of up to DIGEST_MAX for a burst, one line for old ones. */
function plan(sub: Subscription, fresh: Change[], catchUpFrom: number | undefined, now: number) {
  const old =
    catchUpFrom === undefined ? [] : fresh.filter((c) => now - c.when > CATCH_UP_DETAIL_MS);
  const recent = fresh.filter((c) => !old.includes(c));
  const deliveries: Delivery[] = [];
  if (old.length) deliveries.push({ kind: 'while-paused', count: old.length, sub });
  if (recent.length <= CARDS_MAX) {
    for (const change of recent) deliveries.push({ kind: 'card', change, sub });
  } else {
    for (let i = 0; i < recent.length; i += DIGEST_MAX)
      deliveries.push({ kind: 'digest', changes: recent.slice(i, i + DIGEST_MAX), sub });
  }
  return deliveries;
}

function changesOf(
  delivery: Delivery,
  fresh: Change[],
  catchUpFrom: number | undefined,
  now: number,
): Change[] {
  if (delivery.kind === 'card') return [delivery.change];
  if (delivery.kind === 'digest') return delivery.changes;
  return catchUpFrom === undefined ? [] : fresh.filter((c) => now - c.when > CATCH_UP_DETAIL_MS);
}

/** Claim with the mark, post marked, then record as posted. */
async function postOnce(a: DeliverArgs, delivery: Delivery, changes: Change[]): Promise<void> {
  const mark = randomUUID();
  // Slack's `oldest` is in seconds; a second earlier covers the clock's rounding.
  const claim = `${mark}@${Math.floor(a.now / 1000) - 1}`;
  for (const change of changes) await a.kv.set(claimKey(a, change), claim, TTL.delivered);
  await a.output.deliver(delivery, mark);
  for (const change of changes) await a.kv.set(claimKey(a, change), POSTED, TTL.delivered);
}
