import type Anthropic from '@anthropic-ai/sdk';
import type { ConversationMessage } from './types.js';

/** A page an answer cites: its marker is `[n]` for the n-th of a turn's sources. */
export interface CitedSource {
  url: string;
  title: string;
  /** The Confluence space key, read from the page's URL (`/spaces/<KEY>/…`) when it has one. */
  space?: string;
}

type Citation = Anthropic.TextCitation | Anthropic.TextCitationParam;

/**
 * A turn's cited pages, numbered by first citation. Only `search_result_location` citations
 * count: those point at the search results our page tool results become (the URL is their
 * `source`); https://docs.claude.com/en/docs/build-with-claude/search-results
 */
export class SourceNumbers {
  readonly sources: CitedSource[] = [];

  /** The marker (`[1][2]`) for a text block with these citations; '' when none is a page. */
  marker(citations: readonly Citation[] | null | undefined): string {
    const numbers = new Set<number>();
    for (const citation of citations ?? []) {
      if (citation.type !== 'search_result_location') continue;
      let at = this.sources.findIndex((s) => s.url === citation.source);
      if (at < 0) at = this.sources.push(sourceOf(citation)) - 1;
      numbers.add(at + 1);
    }
    return [...numbers].map((n) => `[${n}]`).join('');
  }
}

function sourceOf(citation: { source: string; title: string | null }): CitedSource {
  const space = /\/spaces\/([^/?#]+)\//.exec(citation.source)?.[1];
  return {
    url: citation.source,
    title: citation.title?.trim() || citation.source,
    ...(space ? { space: decodeURIComponent(space) } : {}),
  };
}

const citationsOf = (block: Anthropic.ContentBlockParam): readonly Citation[] =>
  (block.type === 'text' && block.citations) || [];

/**
 * The answer a turn's assistant messages make, with a marker after each text block that cites
 * a page, and the pages cited. A cited sentence comes as several text blocks of one message
 * (the cited part in a block of its own), so blocks beside a cited one join without a break;
 * other texts are paragraphs of their own, as before citations.
 */
export function citedAnswer(
  messages: readonly ConversationMessage[],
  numbers = new SourceNumbers(),
): { text: string; sources: CitedSource[] } {
  const paragraphs: string[] = [];
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    if (typeof message.content === 'string') {
      paragraphs.push(message.content);
      continue;
    }
    let joinNext = false;
    let previousWasText = false;
    for (const block of message.content) {
      if (block.type !== 'text') {
        previousWasText = false;
        continue;
      }
      const cited = citationsOf(block).length > 0;
      const text = block.text + numbers.marker(citationsOf(block));
      if (previousWasText && (joinNext || cited)) paragraphs[paragraphs.length - 1] += text;
      else paragraphs.push(text);
      previousWasText = true;
      joinNext = cited;
    }
  }
  return {
    text: paragraphs.filter((t) => t.trim()).join('\n\n'),
    sources: numbers.sources,
  };
}
