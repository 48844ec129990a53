import type { WebClient } from '@slack/web-api';
import { markdownToPlainText } from '../text/plain-text.js';
import { splitMarkdown } from '../text/split-message.js';

/** Where a turn's reply goes. */
export interface ThreadTarget {
  channel: string;
  threadTs: string;
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
      text: markdownToPlainText(chunk),
      blocks: [{ type: 'markdown', text: chunk }],
    });
    if (res.ts) timestamps.push(res.ts);
  }
  return timestamps;
}
