/** Slack's limit for the text of one `markdown` block (and of all of them in one message). */
export const SLACK_MARKDOWN_LIMIT = 12_000;

/**
 * Splits Markdown into chunks under `limit`, preferring paragraph, then line, then word
 * boundaries, and never leaving a fenced code block open across a cut.
 */
export function splitMarkdown(text: string, limit = SLACK_MARKDOWN_LIMIT - 100): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'));
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) cut = limit;
    let chunk = rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).trimStart();
    const fences = (chunk.match(/^```/gm) ?? []).length;
    if (fences % 2 === 1) {
      chunk += '\n```';
      rest = `\`\`\`\n${rest}`;
    }
    chunks.push(chunk);
  }
  if (rest) chunks.push(rest);
  return chunks;
}
