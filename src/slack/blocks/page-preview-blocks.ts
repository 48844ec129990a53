import type { KnownBlock, MessageAttachment } from '@slack/web-api';
import type { PagePreview } from '../../confluence/page-preview.js';
import { escapeMrkdwn } from '../text/command-parse.js';
import { slackDate } from '../text/operation-text.js';

/** Longest title shown: a header-like line, not a paragraph. */
const TITLE_MAX = 200;
/** Longest name shown for a space or a person. */
const NAME_MAX = 100;

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/**
 * One page's unfurl for chat.unfurl's `unfurls` map (https://docs.slack.dev/messaging/unfurling-links-in-messages:
 * each URL maps to blocks or an attachment). Everyone in the channel sees it, so a page with
 * read restrictions shows its title only; the excerpt is plain text, never mrkdwn.
 */
export function pagePreviewUnfurl(preview: PagePreview): MessageAttachment {
  const title = `*<${preview.url}|${escapeMrkdwn(clip(preview.title, TITLE_MAX))}>*`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: title } }];
  if (preview.restricted) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: ':lock: Restricted page: open it in Confluence to read it.' },
      ],
    });
    return { blocks };
  }
  const facts = [
    preview.spaceName || preview.spaceKey
      ? `Space ${escapeMrkdwn(clip(preview.spaceName ?? preview.spaceKey ?? '', NAME_MAX))}`
      : '',
    updatedText(preview),
  ].filter(Boolean);
  if (facts.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: facts.join(' · ') }] });
  }
  if (preview.excerpt) {
    blocks.push({
      type: 'section',
      text: { type: 'plain_text', text: preview.excerpt, emoji: false },
    });
  }
  return { blocks };
}

/** "Last updated by Ada Lovelace 2 days ago", with what the lookup gave of it. */
function updatedText(preview: PagePreview): string {
  const when =
    preview.editedAt && !Number.isNaN(Date.parse(preview.editedAt))
      ? slackDate(new Date(preview.editedAt), '{ago}')
      : '';
  const by = preview.editedBy ? `by ${escapeMrkdwn(clip(preview.editedBy, NAME_MAX))}` : '';
  if (!when && !by) return '';
  return ['Last updated', by, when].filter(Boolean).join(' ');
}
