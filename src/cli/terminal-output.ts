import type { Writable } from 'node:stream';
import type { PendingApproval } from '../agent/agent-config.js';
import type { CitedSource } from '../agent/cited-answer.js';
import { statusText } from '../slack/text/status-text.js';
import type { TurnOutput } from '../turns/turn-output.js';

/** Options for {@link createTerminalOutput}. */
export interface TerminalOutputOptions {
  output: Writable;
  /** ANSI dim for status lines; off when the output is not a terminal. */
  color?: boolean;
}

/** The operations inside pending approvals, one line each, with their exact arguments. */
export function approvalLines(approvals: PendingApproval[]): string[] {
  return approvals.flatMap((approval) => {
    const input = approval.input as { tools?: Array<{ tool_slug?: string; arguments?: unknown }> };
    const items = Array.isArray(input?.tools)
      ? input.tools.map((t) => ({ slug: t.tool_slug ?? 'UNKNOWN', args: t.arguments }))
      : [{ slug: approval.toolName, args: approval.input }];
    return items.map(({ slug, args }) => `  ${slug} ${JSON.stringify(args ?? {})}`);
  });
}

/** The pages an answer cites, one numbered line each: its marker, title, space and link. */
export function sourceLines(sources: readonly CitedSource[] | undefined): string[] {
  return (sources ?? []).map((s, i) => {
    const space = s.space ? ` (${s.space})` : '';
    return `  [${i + 1}] ${s.title}${space} ${s.url}`;
  });
}

const squash = (text: string) => text.replace(/\s+/g, '');

/**
 * The part of `answer` not yet streamed, or undefined when the streamed text is not its
 * beginning (a failure message, say): then the whole answer is shown.
 */
export function unstreamedRest(streamed: string, answer: string): string | undefined {
  const seen = squash(streamed);
  let matched = 0;
  let i = 0;
  for (; i < answer.length && matched < seen.length; i++) {
    const ch = answer[i]!;
    if (/\s/.test(ch)) continue;
    if (ch !== seen[matched]) return undefined;
    matched += 1;
  }
  return matched === seen.length ? answer.slice(i).trim() : undefined;
}

/** TurnOutput for the terminal chat: dim status lines, streamed text, approvals and links. */
export function createTerminalOutput(options: TerminalOutputOptions): TurnOutput {
  const { output } = options;
  const dim = (text: string) => (options.color ? `\x1b[2m${text}\x1b[22m` : text);
  // Text streamed so far per turn (kept across an approval pause), so answers are not repeated.
  const streamed = new Map<string, string>();
  let atLineStart = true;
  const write = (text: string) => {
    if (!text) return;
    output.write(text);
    atLineStart = text.endsWith('\n');
  };
  const line = (text: string) => write(`${atLineStart ? '' : '\n'}${text}\n`);

  return {
    async status(_request, slugs) {
      line(dim(`· ${statusText(slugs)}`));
    },
    async statusWords(_request, words) {
      line(dim(`· ${words}`));
    },
    async streamText(request, delta) {
      streamed.set(request.id, (streamed.get(request.id) ?? '') + delta);
      // A status line already ended the line: no blank lines between it and the text.
      write(atLineStart ? delta.replace(/^\n+/, '') : delta);
    },
    async answer(request, markdown, options) {
      const sent = streamed.get(request.id);
      streamed.delete(request.id);
      const rest = sent ? unstreamedRest(sent, markdown) : markdown;
      // The stream holds back its last word: what follows exactly continues the same line.
      if (sent && markdown.startsWith(sent)) write(markdown.slice(sent.length).trimEnd());
      else if (rest === undefined) line(`\n${markdown}`);
      else if (rest) line(sent ? `\n${rest}` : rest);
      const sources = sourceLines(options?.sources);
      if (sources.length) line(`\nSources:\n${sources.join('\n')}`);
      write(atLineStart ? '\n' : '\n\n');
    },
    async askApproval(_request, approvals) {
      line(
        `This would make a change that cannot be undone:\n${approvalLines(approvals).join('\n')}`,
      );
    },
    async connectLink(_request, toolkit, url) {
      const name = toolkit.charAt(0).toUpperCase() + toolkit.slice(1);
      line(`Connect your ${name} account to continue (this link is only for you):\n  ${url}`);
      line(dim("When you're done, ask me again."));
    },
    visibleState: () => ({}),
    restore: () => {},
  };
}
