import type { ContentBlock } from './types.js';

/** A text block for a scripted answer. */
export const text = (t: string): ContentBlock => ({ type: 'text', text: t });

/** A tool_use block for a scripted answer; without `id` the fake assigns a unique `toolu_…`. */
export const toolUse = (name: string, input: unknown, id?: string): ContentBlock =>
  id === undefined ? { type: 'tool_use', name, input } : { type: 'tool_use', id, name, input };
