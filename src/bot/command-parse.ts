/** What `/confluence <text>` asks for. */
export type ConfluenceCommand =
  | { kind: 'help' }
  | { kind: 'connect' }
  | { kind: 'status' }
  | { kind: 'disconnect' }
  | { kind: 'request'; text: string };

const SUBCOMMANDS = new Set(['help', 'connect', 'status', 'disconnect']);

/** Parses the slash command text: a known subcommand, empty (help), or a request for the agent. */
export function parseConfluenceCommand(text: string | undefined): ConfluenceCommand {
  const trimmed = (text ?? '').trim();
  const word = trimmed.toLowerCase();
  if (!word || word === '?') return { kind: 'help' };
  if (SUBCOMMANDS.has(word)) return { kind: word } as ConfluenceCommand;
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
