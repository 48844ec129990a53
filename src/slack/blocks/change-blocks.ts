/**
 * Block Kit for subscription deliveries: a compact card per change, a digest for a burst, and
 * the one line counting changes made while a subscription was paused. Within Slack's limits:
 * at most 50 blocks a message, 3,000 characters a section (docs.slack.dev/reference/block-kit).
 */
import type { KnownBlock } from '@slack/web-api';
import { type Change, changeKindOf } from '../../subscriptions/subscription.js';
import type { Delivery } from '../../subscriptions/subscription-output.js';
import { escapeMrkdwn } from '../text/command-parse.js';

/** Lines per digest section: 10 lines of at most ~280 characters stay under 3,000. */
const DIGEST_LINES_PER_SECTION = 10;
/** A title shown in a digest line is cut here, so each line stays short. */
const TITLE_CHARS = 120;

const KIND_LABEL = { new: 'New', updated: 'Updated', comment: 'New comment on' } as const;

const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** "<title>" linked when the change has a URL (`|`, `<` and `>` escaped so links hold). */
function titleLink(change: Change): string {
  const title = escapeMrkdwn(cut(change.title, TITLE_CHARS)).replace(/\|/g, '¦');
  return change.url ? `<${change.url}|${title}>` : title;
}

/** Slack's date formatting, with a fallback for clients that lack it. */
function when(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${new Date(ms).toISOString().slice(0, 16)}Z>`;
}

function noun(change: Change): string {
  return change.type === 'blogpost' ? 'blog post' : change.type === 'comment' ? '' : 'page';
}

/** "New page", "Updated blog post", "New comment on". */
export function changeLabel(change: Change): string {
  const kind = changeKindOf(change);
  return kind === 'comment' ? KIND_LABEL.comment : `${KIND_LABEL[kind]} ${noun(change)}`;
}

/** One change as a card: kind and title, then space, author and when, then one line of text. */
export function cardBlocks(change: Change): KnownBlock[] {
  const detail = changeKindOf(change) === 'updated' ? change.versionMessage : change.excerpt;
  const by = change.author ? ` · by ${escapeMrkdwn(change.author)}` : '';
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${changeLabel(change)}:* ${titleLink(change)}` },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${escapeMrkdwn(change.spaceKey)}${by} · ${when(change.when)}${
            detail ? `\n${escapeMrkdwn(detail)}` : ''
          }`,
        },
      ],
    },
  ];
}

/** One digest line: kind, title, author. */
function digestLine(change: Change): string {
  const by = change.author ? ` · ${escapeMrkdwn(cut(change.author, 60))}` : '';
  return `• ${changeLabel(change)}: ${titleLink(change)}${by}`;
}

/** The blocks and notification text of a delivery. */
export function deliveryMessage(delivery: Delivery): { text: string; blocks: KnownBlock[] } {
  const space = escapeMrkdwn(delivery.sub.spaceKey);
  if (delivery.kind === 'card') {
    const c = delivery.change;
    return {
      text: `${changeLabel(c)}: ${cut(c.title, TITLE_CHARS)} (${space})`,
      blocks: cardBlocks(c),
    };
  }
  if (delivery.kind === 'while-paused') {
    const text = `${delivery.count} change${delivery.count === 1 ? '' : 's'} in ${space} while the subscription was paused (more than a day ago).`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const lines = delivery.changes.map(digestLine);
  const heading = `*${delivery.changes.length} changes in ${space}* (${escapeMrkdwn(delivery.sub.spaceName)})`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: heading } }];
  for (let i = 0; i < lines.length; i += DIGEST_LINES_PER_SECTION)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: lines.slice(i, i + DIGEST_LINES_PER_SECTION).join('\n') },
    });
  return { text: `${delivery.changes.length} changes in ${space}`, blocks };
}
