import { describe, expect, it } from 'vitest';
import {
  buildToolCatalog,
  cleanInputSchema,
  sanitiseToolName,
} from '../../src/agent/tool-schema.js';

describe('sanitiseToolName', () => {
  it('keeps legal names and replaces illegal characters', () => {
    expect(sanitiseToolName('COMPOSIO_SEARCH_TOOLS', new Set())).toBe('COMPOSIO_SEARCH_TOOLS');
    expect(sanitiseToolName('confluence.create page', new Set())).toBe('confluence_create_page');
  });
  it('cuts to 64 characters and stays unique', () => {
    const long = 'x'.repeat(80);
    const first = sanitiseToolName(long, new Set());
    expect(first).toHaveLength(64);
    const second = sanitiseToolName(long, new Set([first]));
    expect(second).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(second).not.toBe(first);
  });
});

describe('cleanInputSchema', () => {
  it('drops $schema and top-level combinators and forces an object schema', () => {
    const cleaned = cleanInputSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      anyOf: [{ required: ['a'] }],
      properties: { a: { type: 'string' } },
    });
    expect(cleaned).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });
  it('gives a schema-less tool an empty object schema', () => {
    expect(cleanInputSchema(undefined)).toEqual({ type: 'object', properties: {} });
  });
});

describe('buildToolCatalog', () => {
  it('sorts tools, maps sanitised names back, and is identical for the same input', () => {
    const host = [
      { name: 'b.tool', inputSchema: { type: 'object' } },
      { name: 'a_tool', description: 'A', inputSchema: { type: 'object' } },
    ];
    const one = buildToolCatalog(host);
    const two = buildToolCatalog([...host].reverse());
    expect(one.tools.map((t) => t.name)).toEqual(['a_tool', 'b_tool']);
    expect(one.hostNameOf.get('b_tool')).toBe('b.tool');
    expect(JSON.stringify(one.tools)).toBe(JSON.stringify(two.tools));
  });
});
