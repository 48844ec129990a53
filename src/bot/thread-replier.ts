import type { WebClient } from '@slack/web-api';
import { splitMarkdown } from './split-message.js';

/** Where a turn's reply goes. */
export interface ThreadTarget {
  channel: string;
  threadTs: string;
}

/** Plain-text fallback for notifications and clients that do not render blocks. */
function fallbackText(markdown: string): string {
  const flat = markdown
    .replace(/[*_`#>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}…` : flat;
}

/** Posts Markdown into a thread as `markdown` blocks, split under Slack's limits. */
export async function postThreadReply(
  client: WebClient,
  target: ThreadTarget,
  markdown: string,
): Promise<string[]> {
  const timestamps: string[] = [];
  for (const chunk of splitMarkdown(markdown)) {
    const res = await client.chat.postMessage({
      channel: target.channel,
      thread_ts: target.threadTs,
      text: fallbackText(chunk),
      blocks: [{ type: 'markdown', text: chunk }],
    });
    if (res.ts) timestamps.push(res.ts);
  }
  return timestamps;
}
