// Citations of search results, as the Messages API makes them: a text block of the answer
// carries `citations: [{type: "search_result_location", source, title, cited_text,
// search_result_index, start_block_index, end_block_index}]`, where search_result_index counts
// every `search_result` block of the request "in the order they appear across messages and tool
// results", the block range is end-exclusive, and cited_text is those blocks' text joined
// (CitationsSearchResultLocation in @anthropic-ai/sdk 1.12, resources/messages/messages.d.ts;
// https://docs.claude.com/en/docs/build-with-claude/search-results).
import type { ScriptedCitation } from './types.js';

type Json = Record<string, unknown>;

/** A citation as it goes on the wire. */
export interface WireCitation {
  type: 'search_result_location';
  source: string;
  title: string | null;
  cited_text: string;
  search_result_index: number;
  start_block_index: number;
  end_block_index: number;
}

interface SearchResult {
  source: string;
  title: string;
  content: Array<{ text: string }>;
  citations?: { enabled?: boolean };
}

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every search_result block of a request body, in order: top level and inside tool results. */
export function searchResultsOf(
  // biome-ignore lint/suspicious/noExplicitAny: the request body is untyped JSON.
  body: any,
): SearchResult[] {
  const found: SearchResult[] = [];
  const visit = (blocks: unknown) => {
    if (!Array.isArray(blocks)) return;
    for (const block of blocks) {
      if (!isObject(block)) continue;
      if (block.type === 'search_result') found.push(block as unknown as SearchResult);
      else if (block.type === 'tool_result') visit(block.content);
    }
  };
  for (const message of Array.isArray(body?.messages) ? body.messages : []) visit(message?.content);
  return found;
}

/**
 * Resolves a test's citation (which search result, which blocks) into the wire citation, or
 * says why the script cannot be right: the model cites only what it was given, with
 * citations enabled.
 */
export function resolveCitation(
  citation: ScriptedCitation,
  results: SearchResult[],
): WireCitation | string {
  const index = citation.search_result_index;
  const result = results[index];
  if (!result) {
    return `fake-anthropic: the script cites search result ${index}, but the request has ${results.length}`;
  }
  if (result.citations?.enabled !== true) {
    return `fake-anthropic: the script cites search result ${index}, whose citations are not enabled`;
  }
  const start = citation.start_block_index ?? 0;
  const end = citation.end_block_index ?? start + 1;
  if (start < 0 || end <= start || end > result.content.length) {
    return `fake-anthropic: blocks ${start}..${end} are outside search result ${index} (${result.content.length} blocks)`;
  }
  return {
    type: 'search_result_location',
    source: result.source,
    title: result.title,
    cited_text: result.content
      .slice(start, end)
      .map((b) => b.text)
      .join(''),
    search_result_index: index,
    start_block_index: start,
    end_block_index: end,
  };
}
