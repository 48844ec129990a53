import { describe, expect, it } from 'vitest';
import type { ToolHost } from '../../src/agent/types.js';
import { findSpaces, listSpaces } from '../../src/bot/spaces.js';

const spacesResult = {
  data: {
    results: [
      {
        index: 0,
        tool_slug: 'CONFLUENCE_GET_SPACES',
        response: {
          data: {
            results: [
              { id: '1', key: 'MKT', name: 'Marketing', type: 'global' },
              { id: '2', key: 'ENG', name: 'Engineering', type: 'global' },
            ],
          },
        },
      },
    ],
  },
};

describe('findSpaces', () => {
  it('finds the {key, name} list inside a multi-execute result and keeps only those fields', () => {
    expect(findSpaces(spacesResult)).toEqual([
      { key: 'MKT', name: 'Marketing' },
      { key: 'ENG', name: 'Engineering' },
    ]);
  });

  it('returns nothing for other shapes, and stops at a depth bound', () => {
    expect(findSpaces(null)).toEqual([]);
    expect(findSpaces('MKT')).toEqual([]);
    expect(findSpaces({ items: [{ key: 1, name: 'x' }] })).toEqual([]);
    let deep: unknown = [{ key: 'DEEP', name: 'Deep' }];
    for (let i = 0; i < 12; i++) deep = { next: deep };
    expect(findSpaces(deep)).toEqual([]);
  });
});

describe('listSpaces', () => {
  const hostAnswering = (texts: string[], isError = false): ToolHost =>
    ({
      callTool: async () => ({
        isError,
        content: texts.map((text) => ({ type: 'text' as const, text })),
      }),
    }) as unknown as ToolHost;

  it('parses a result split over several text blocks', async () => {
    const json = JSON.stringify(spacesResult);
    const host = hostAnswering([json.slice(0, 40), json.slice(40)]);
    expect((await listSpaces(host)).map((s) => s.key)).toEqual(['MKT', 'ENG']);
  });

  it('offers no spaces when the tool fails or answers something else', async () => {
    expect(await listSpaces(hostAnswering(['{"error":"no connection"}'], true))).toEqual([]);
    expect(await listSpaces(hostAnswering(['not json']))).toEqual([]);
  });
});
