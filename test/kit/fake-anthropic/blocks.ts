import type { ContentBlock, ScriptedCitation } from './types.js';

/** A text block for a scripted answer. */
export const text = (t: string): ContentBlock => ({ type: 'text', text: t });

/** A tool_use block for a scripted answer; without `id` the fake assigns a unique `toolu_…`. */
export const toolUse = (name: string, input: unknown, id?: string): ContentBlock =>
  id === undefined ? { type: 'tool_use', name, input } : { type: 'tool_use', id, name, input };

/**
 * A text block citing search results of the request, each by its index (or a full citation
 * naming the blocks): `cited('Launch is in May.', 0)` cites the first block of the first one.
 */
export const cited = (t: string, ...citations: Array<number | ScriptedCitation>): ContentBlock => ({
  type: 'text',
  text: t,
  citations: citations.map((c) => (typeof c === 'number' ? { search_result_index: c } : c)),
});
