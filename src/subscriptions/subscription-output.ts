import type { Change, Subscription } from './subscription.js';

/** One message for a channel: a card, a digest of a burst, or the count of older changes. */
export type Delivery =
  | { kind: 'card'; change: Change; sub: Subscription }
  | { kind: 'digest'; changes: Change[]; sub: Subscription }
  /** Changes made while the subscription was paused, older than a day: one line. */
  | { kind: 'while-paused'; count: number; sub: Subscription };

/** What the channel is told about a subscription itself. */
export type SubscriptionNotice =
  | { kind: 'subscribed'; sub: Subscription; replaced: boolean }
  | { kind: 'unsubscribed'; sub: Subscription; byUserId: string }
  | { kind: 'paused'; sub: Subscription; reason: string }
  | { kind: 'resumed'; sub: Subscription }
  | { kind: 'failing'; sub: Subscription };

/**
 * Where subscription messages go (Slack, in src/slack/output): each delivery carries `mark`
 * in its message metadata, so a poll taken over after a crash can tell whether it was posted.
 */
export interface SubscriptionOutput {
  /** Posts a delivery in its channel, marked; paced under Slack's per-channel rate. */
  deliver(delivery: Delivery, mark: string): Promise<void>;
  /** Whether a message marked `mark` is in the channel, posted at or after `sinceSeconds`. */
  isPosted(channel: string, mark: string, sinceSeconds: number): Promise<boolean>;
  /** Posts a notice about a subscription in its channel. */
  notify(notice: SubscriptionNotice): Promise<void>;
}
