import type { WebClient } from '@slack/web-api';
import { markdownToPlainText } from '../text/plain-text.js';
import { splitMarkdown } from '../text/split-message.js';
import { turnMark } from './turn-marks.js';

/** Where a turn's reply goes. */
export interface ThreadTarget {
  channel: string;
  threadTs: string;
}

/** Marks each posted part as part of a turn's answer (numbered from `firstPart`). */
export interface AnswerMark {
  turnId: string;
  firstPart?: number;
  /** Parts already in the thread (an earlier run posted them): not posted again. */
  posted?: ReadonlyMap<number, string>;
}

/** Posts Markdown into a thread as `markdown` blocks, split under Slack's limits. */
export async function postThreadReply(
  client: WebClient,
  target: ThreadTarget,
  markdown: string,
  mark?: AnswerMark,
): Promise<string[]> {
  const timestamps: string[] = [];
  const chunks = splitMarkdown(markdown);
  for (const [i, chunk] of chunks.entries()) {
    const part = (mark?.firstPart ?? 0) + i;
    const already = mark?.posted?.get(part);
    if (already) {
      timestamps.push(already);
      continue;
    }
    const res = await client.chat.postMessage({
      channel: target.channel,
      thread_ts: target.threadTs,
      text: markdownToPlainText(chunk),
      blocks: [{ type: 'markdown', text: chunk }],
      ...(mark && { metadata: turnMark(mark.turnId, 'answer', part) }),
    });
    if (res.ts) timestamps.push(res.ts);
  }
  return timestamps;
}
