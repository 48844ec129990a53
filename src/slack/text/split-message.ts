/**
 * Slack's limit for the text of one `markdown` block, and of all of them in one message.
 * https://docs.slack.dev/reference/block-kit/blocks/markdown-block
 */
export const SLACK_MARKDOWN_LIMIT = 12_000;

/** Slack refuses a section block whose text is longer than this (invalid_blocks). */
export const SECTION_TEXT_MAX = 3000;

const FENCE_LINE = /^[ \t]{0,3}```/gm;

/** Where to cut `window`: a paragraph break, else a line break, else a space, else the end. */
function cutPoint(window: string, limit: number): number {
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= limit / 2) return at;
  }
  // No usable boundary: cut hard, but never between the two halves of a surrogate pair.
  const code = window.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/**
 * Splits Markdown into chunks of at most `limit` characters, preferring paragraph, then line,
 * then word boundaries, and never leaving a fenced code block open across a cut.
 */
export function splitMarkdown(text: string, limit = SLACK_MARKDOWN_LIMIT - 100): string[] {
  const chunks: string[] = [];
  // Room for the fence that closes a cut code block.
  const room = limit - 4;
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = cutPoint(rest.slice(0, room), room);
    let chunk = rest.slice(0, cut).trimEnd();
    // Drop the separator only: indentation inside a code block must survive the cut.
    rest = rest.slice(cut).replace(/^(\n+| )/, '');
    if ((chunk.match(FENCE_LINE) ?? []).length % 2 === 1) {
      chunk += '\n```';
      rest = `\`\`\`\n${rest}`;
    }
    chunks.push(chunk);
  }
  if (rest) chunks.push(rest);
  return chunks;
}
