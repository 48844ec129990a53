import type { CitedSource } from '../../agent/cited-answer.js';

// Characters that would end a link's label early or turn it into emphasis or code.
const LABEL_SPECIALS = /[\\[\]*_`~<>]/g;

const label = (title: string) => title.replace(/\s+/g, ' ').trim().replace(LABEL_SPECIALS, '\\$&');

// A `)` or a space would end the link's destination early (encodeURIComponent keeps parentheses).
const ESCAPES: Record<string, string> = { '(': '%28', ')': '%29' };
const destination = (url: string) =>
  url.replace(/[\s()]/g, (c) => ESCAPES[c] ?? encodeURIComponent(c));

/**
 * The "Sources" block under an answer, as Markdown: one line per cited page, in marker order —
 * its marker, its title linked to its URL, its space. Empty when nothing was cited.
 */
export function sourcesMarkdown(sources: readonly CitedSource[] | undefined): string {
  if (!sources?.length) return '';
  const lines = sources.map((source, i) => {
    const space = source.space ? ` · ${label(source.space)}` : '';
    return `- [${i + 1}] [${label(source.title)}](${destination(source.url)})${space}`;
  });
  return ['**Sources**', ...lines].join('\n');
}

/** An answer with its Sources block below it (the answer alone when it cites no page). */
export function withSources(answer: string, sources: readonly CitedSource[] | undefined): string {
  const block = sourcesMarkdown(sources);
  return block ? `${answer}\n\n${block}` : answer;
}
