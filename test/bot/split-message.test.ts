import { describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/bot/split-message.js';

describe('splitMarkdown', () => {
  it('returns short text whole', () => {
    expect(splitMarkdown('hello')).toEqual(['hello']);
  });
  it('splits on paragraph boundaries under the limit and loses nothing', () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) =>
      `Paragraph ${i} ${'word '.repeat(50)}`.trim(),
    );
    const chunks = splitMarkdown(paragraphs.join('\n\n'), 1000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(1004);
    expect(chunks.join('\n\n').replace(/\s+/g, ' ')).toBe(
      paragraphs.join(' ').replace(/\s+/g, ' '),
    );
  });
  it('closes and reopens a code fence cut in two', () => {
    const code = `\`\`\`\n${'line of code\n'.repeat(200)}\`\`\``;
    const chunks = splitMarkdown(code, 1000);
    for (const c of chunks) expect((c.match(/```/g) ?? []).length % 2).toBe(0);
  });
});
