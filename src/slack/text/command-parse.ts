/** What `/confluence <text>` asks for. */
export type ConfluenceCommand =
  | { kind: 'help'; unknown?: string }
  | { kind: 'connect' }
  | { kind: 'status' }
  | { kind: 'disconnect' }
  | { kind: 'request'; text: string };

const SUBCOMMANDS = ['help', 'connect', 'status', 'disconnect'] as const;
// Two slips (`conect`, `statsu`) still read as a subcommand; a word further off is a request.
const MAX_TYPO_DISTANCE = 2;

/** Levenshtein distance, for telling a mistyped subcommand from a one-word request. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length]!;
}

/**
 * Parses the slash command text: a subcommand; help for empty text, `-h`/`--help` or a
 * mistyped subcommand (`conect`); anything else is a request for the agent.
 */
export function parseConfluenceCommand(text: string | undefined): ConfluenceCommand {
  const trimmed = (text ?? '').trim();
  const word = trimmed.toLowerCase();
  if (!word || word === '?' || /^--?h(elp)?$/.test(word)) return { kind: 'help' };
  const known = SUBCOMMANDS.find((s) => s === word);
  if (known) return { kind: known };
  if (/^[a-z]+$/.test(word) && SUBCOMMANDS.some((s) => distance(word, s) <= MAX_TYPO_DISTANCE))
    return { kind: 'help', unknown: trimmed };
  return { kind: 'request', text: trimmed };
}

/** Usage text for `/confluence help` and empty commands. */
export const COMMAND_HELP = [
  '*Confluence Agent* — work with Confluence in plain language.',
  '• `/confluence <request>`: ask for anything, e.g. `/confluence create a page titled "Launch Plan" in space MKT`. I post your request in the channel and answer in its thread.',
  '• `/confluence connect`: connect your Confluence account (the link is only shown to you).',
  '• `/confluence status`: your Composio user id and connection state.',
  '• `/confluence disconnect`: remove your Confluence connection (asks first).',
  '• `/confluence help`: this message.',
  'You can also mention me in a channel, message me directly, or use the message shortcut *Summarise to Confluence*.',
].join('\n');

/** Escapes text for safe quoting in Slack mrkdwn (no accidental mentions or links). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
