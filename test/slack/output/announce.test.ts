import { describe, expect, it } from 'vitest';
import { quoteWithin } from '../../../src/slack/output/announce.js';

describe('quoteWithin', () => {
  it('quotes and escapes a text that fits, unchanged and without a marker', () => {
    expect(quoteWithin('a & b\n<c>', 100)).toBe('>a &amp; b\n>&lt;c&gt;');
    const exact = '>a &amp; b';
    expect(quoteWithin('a & b', exact.length)).toBe(exact);
  });

  it('cuts a longer quote to the room, never inside an entity, and ends it with "…"', () => {
    const text = '&<>\n'.repeat(500);
    for (let room = 20; room < 60; room++) {
      const quoted = quoteWithin(text, room);
      expect(quoted.length).toBeLessThanOrEqual(room);
      expect(quoted.endsWith('…')).toBe(true);
      expect(quoted.slice(0, -1).replace(/&(amp|lt|gt);/g, '')).not.toMatch(/[&<]/);
    }
  });

  it('never splits a character made of two UTF-16 units', () => {
    const quoted = quoteWithin('😀'.repeat(100), 12);
    expect(quoted.length).toBeLessThanOrEqual(12);
    expect(quoted).toBe(`>${'😀'.repeat(5)}…`);
  });
});
