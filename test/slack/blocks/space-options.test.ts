import { describe, expect, it } from 'vitest';
import { pickerSpaces } from '../../../src/slack/blocks/space-options.js';

describe('pickerSpaces', () => {
  it('keeps the listed order when every space fits, each key once', () => {
    const spaces = [
      { key: 'MKT', name: 'Marketing' },
      { key: 'ENG', name: 'Engineering' },
      { key: 'MKT', name: 'Marketing' },
    ];
    expect(pickerSpaces(spaces)).toEqual(spaces.slice(0, 2));
  });

  it('keeps the first 100 by name (numbers in names compared as numbers) when more are listed', () => {
    const spaces = Array.from({ length: 120 }, (_, i) => ({
      key: `K${i}`,
      name: `space ${119 - i}`,
    }));
    const picked = pickerSpaces(spaces);
    expect(picked).toHaveLength(100);
    expect(picked.map((s) => s.name).slice(0, 3)).toEqual(['space 0', 'space 1', 'space 2']);
    expect(picked.at(-1)?.name).toBe('space 99');
  });
});
