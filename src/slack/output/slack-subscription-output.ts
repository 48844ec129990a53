/**
 * Posts subscription deliveries and notices in their channels. Each delivery carries its mark
 * in Slack message metadata (docs.slack.dev/messaging/message-metadata), as a turn's posts do
 * (turn-marks.ts), so a poll that died between claim and post can look for it. Messages to one
 * channel are paced at about one a second, Slack's posting rate per channel
 * (docs.slack.dev/apis/web-api/rate-limits, "Posting messages").
 */
import type { MessageMetadata, WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type {
  SubscriptionNotice,
  SubscriptionOutput,
} from '../../subscriptions/subscription-output.js';
import { deliveryMessage } from '../blocks/change-blocks.js';
import { REPLIES_PAGE_SIZE } from '../reads/thread-reader.js';
import { noticeText } from '../text/subscription-text.js';

/** The `event_type` of a delivery's metadata. */
export const SUBSCRIPTION_EVENT = 'confluence_agent_subscription';
/** Slack allows about one message a second per channel; bursts beyond that are throttled. */
export const CHANNEL_POST_GAP_MS = 1_000;
/** A mark is looked for among the newest messages since its claim: this many pages at most. */
const MAX_PAGES = 5;

/** Creates the Slack output of subscriptions. */
export function createSlackSubscriptionOutput(
  client: WebClient,
  logger: Logger,
  gapMs = CHANNEL_POST_GAP_MS,
): SubscriptionOutput {
  // When each channel may next be posted to (this process; across instances the channel
  // lock in delivery.ts lets one poll post in a channel at a time).
  const nextAt = new Map<string, number>();
  async function paced(channel: string, post: () => Promise<unknown>) {
    const wait = (nextAt.get(channel) ?? 0) - Date.now();
    nextAt.set(channel, Math.max(Date.now(), nextAt.get(channel) ?? 0) + gapMs);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await post();
    if (nextAt.size > 10_000) nextAt.clear(); // bounded: a pacing hint, not state
  }
  return {
    async deliver(delivery, mark) {
      const { text, blocks } = deliveryMessage(delivery);
      const metadata: MessageMetadata = {
        event_type: SUBSCRIPTION_EVENT,
        event_payload: { mark, subscription: delivery.sub.id },
      };
      await paced(delivery.sub.channel, () =>
        client.chat.postMessage({
          channel: delivery.sub.channel,
          text,
          blocks,
          metadata,
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
    },
    async isPosted(channel, mark, sinceSeconds) {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await client.conversations.history({
          channel,
          oldest: String(sinceSeconds),
          cursor,
          limit: REPLIES_PAGE_SIZE,
          include_all_metadata: true,
        });
        for (const m of res.messages ?? []) {
          const meta = m.metadata as MessageMetadata | undefined;
          if (meta?.event_type === SUBSCRIPTION_EVENT && meta.event_payload?.mark === mark)
            return true;
        }
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      logger.debug({ channel }, 'a claimed delivery was not posted: posting it again');
      return false;
    },
    async notify(notice: SubscriptionNotice) {
      await paced(notice.sub.channel, () =>
        client.chat.postMessage({ channel: notice.sub.channel, text: noticeText(notice) }),
      );
    },
  };
}
