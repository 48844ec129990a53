/**
 * Longest notification fallback we send: a notification shows a line or two; the message itself
 * is in the blocks.
 */
export const FALLBACK_CHARS = 300;

// User and channel mentions stay live; anything else in `<…>` (`<!here>` too) is escaped.
const SLACK_TEXT_SPECIALS = /<[@#][A-Z0-9]+(?:\|[^<>]*)?>|[&<>]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes `&`, `<` and `>` for a Slack `text` field, keeping user and channel mentions. */
function escapeForSlackText(text: string): string {
  return text.replace(SLACK_TEXT_SPECIALS, (m) => ENTITIES[m] ?? m);
}

/**
 * The plain text of Claude's Markdown, for the `text` field Slack shows in notifications and
 * where blocks cannot render: no `**`, `#`, fences or link syntax; links keep their label.
 */
export function markdownToPlainText(markdown: string, maxChars = FALLBACK_CHARS): string {
  const flat = markdown
    .replace(/^\s*(```+|~~~+).*$/gm, '')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^\s*[-*+]\s+(\[[ xX]\]\s+)?/gm, '• ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\((\S+?)\)/g, '$1')
    .replace(/<(https?:[^>|]+)\|([^>]+)>/g, '$2')
    .replace(/<(https?:[^>|]+)>/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/(\*\*\*|\*\*|__|~~)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1$2')
    .replace(/\\([\\`*_{}[\]()#+\-.!|~>])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const short = flat.length > maxChars ? `${flat.slice(0, maxChars - 1).trimEnd()}…` : flat;
  return escapeForSlackText(short);
}
