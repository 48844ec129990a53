import { type ContentKind, KIND_WORDS } from '../../subscriptions/subscription.js';

/** What `/confluence <text>` asks for. */
export type ConfluenceCommand =
  | { kind: 'help'; unknown?: string }
  | { kind: 'connect' }
  | { kind: 'status' }
  | { kind: 'disconnect' }
  | { kind: 'subscribe'; spaceKey: string; kinds: ContentKind[] }
  | { kind: 'unsubscribe'; spaceKey: string }
  | { kind: 'subscriptions' }
  /** A subscription subcommand with missing or malformed arguments: its usage, privately. */
  | { kind: 'usage'; subcommand: 'subscribe' | 'unsubscribe'; problem: string }
  | { kind: 'request'; text: string };

const SUBCOMMANDS = ['help', 'connect', 'status', 'disconnect', 'subscriptions'] as const;
/** Subcommands that take arguments: their first word is never a request. */
const WITH_ARGUMENTS = ['subscribe', 'unsubscribe'] as const;
/** A Confluence space key: letters and digits (Confluence's rule for keys). */
const SPACE_KEY = /^[A-Za-z0-9]{1,255}$/;
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
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const head = first.toLowerCase();
  if (head === 'subscribe' || head === 'unsubscribe') return withArguments(head, rest);
  const typo = (w: string) =>
    /^[a-z]+$/.test(w) &&
    [...SUBCOMMANDS, ...WITH_ARGUMENTS].some((s) => distance(w, s) <= MAX_TYPO_DISTANCE);
  if (typo(word)) return { kind: 'help', unknown: trimmed };
  // `subscibe MKT`: a mistyped subcommand with its space key, not a request.
  if (
    rest.length <= 2 &&
    SPACE_KEY.test(rest[0] ?? '') &&
    WITH_ARGUMENTS.some((s) => distance(head, s) <= MAX_TYPO_DISTANCE && /^[a-z]+$/.test(head))
  )
    return { kind: 'help', unknown: first };
  return { kind: 'request', text: trimmed };
}

/** `subscribe SPACE [pages|blogposts|comments|all]` and `unsubscribe SPACE`. */
function withArguments(subcommand: 'subscribe' | 'unsubscribe', args: string[]): ConfluenceCommand {
  const [key, kindWord, ...extra] = args;
  const usage = (problem: string) => ({ kind: 'usage' as const, subcommand, problem });
  if (!key) return usage('Which space? Give its key, e.g. `MKT`.');
  if (!SPACE_KEY.test(key))
    return usage(
      `\`${escapeMrkdwn(key.slice(0, 40))}\` is not a space key (letters and digits only).`,
    );
  if (subcommand === 'unsubscribe')
    return kindWord === undefined
      ? { kind: 'unsubscribe', spaceKey: key.toUpperCase() }
      : usage('`unsubscribe` takes only the space key.');
  if (extra.length) return usage('`subscribe` takes a space key and at most one kind.');
  const kinds = KIND_WORDS[(kindWord ?? 'pages').toLowerCase()];
  if (!kinds)
    return usage(
      `\`${escapeMrkdwn((kindWord ?? '').slice(0, 40))}\` is not a kind: use pages, blogposts, comments or all.`,
    );
  return { kind: 'subscribe', spaceKey: key.toUpperCase(), kinds: [...kinds] };
}

/** The usage of the subscription subcommands, after what was wrong. */
export const SUBSCRIBE_USAGE = [
  '• `/confluence subscribe SPACE [pages|blogposts|comments|all]`: post new and updated content of a space in this channel (default: pages), read with your Confluence access.',
  '• `/confluence unsubscribe SPACE`: stop that.',
  "• `/confluence subscriptions`: this channel's subscriptions.",
].join('\n');

/** Usage text for `/confluence help` and empty commands. */
export const COMMAND_HELP = [
  '*Confluence Agent* — work with Confluence in plain language.',
  '• `/confluence <request>`: ask for anything, e.g. `/confluence create a page titled "Launch Plan" in space MKT`. I post your request in the channel and answer in its thread.',
  '• `/confluence connect`: connect your Confluence account (the link is only shown to you).',
  '• `/confluence status`: your Composio user id and connection state.',
  '• `/confluence disconnect`: remove your Confluence connection (asks first).',
  SUBSCRIBE_USAGE,
  '• `/confluence help`: this message.',
  'You can also mention me in a channel, message me directly, or use the message shortcut *Summarise to Confluence*.',
].join('\n');

/** Escapes text for safe quoting in Slack mrkdwn (no accidental mentions or links). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
