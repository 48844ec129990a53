import { describe, expect, it } from 'vitest';
import { SLACK_MARKDOWN_LIMIT, splitMarkdown } from '../../../src/slack/text/split-message.js';

const fences = (s: string) => (s.match(/^```/gm) ?? []).length;
const squash = (s: string) => s.replace(/```/g, '').replace(/\s+/g, ' ').trim();

/** A long answer: paragraphs, a list and a long code block in the middle. */
function longAnswer(chars: number): string {
  const parts: string[] = ['# Report'];
  let i = 0;
  while (parts.join('\n\n').length < chars) {
    i += 1;
    parts.push(`Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(12).trim()}.`);
    if (i === 5) parts.push(`- item a\n- item b\n- item c ${i}`);
    if (i === 10)
      parts.push(`\`\`\`\n${'    const value = compute(x); // keep indent\n'.repeat(150)}\`\`\``);
  }
  return parts.join('\n\n');
}

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
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(1000);
      // Each chunk is whole paragraphs.
      expect(c).toMatch(/^Paragraph \d+/);
      expect(c.endsWith('word')).toBe(true);
    }
    expect(squash(chunks.join('\n\n'))).toBe(squash(paragraphs.join(' ')));
  });

  it('prefers a paragraph break to a later line break', () => {
    const text = `${'a'.repeat(600)}\n\n${'b'.repeat(200)}\n${'c'.repeat(500)}`;
    const [first] = splitMarkdown(text, 1000);
    expect(first).toBe('a'.repeat(600));
  });

  it('closes and reopens a code fence cut in two, keeping indentation', () => {
    const code = `\`\`\`\n${'    line of code\n'.repeat(200)}\`\`\``;
    const chunks = splitMarkdown(code, 1000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(1000);
      expect(fences(c) % 2).toBe(0);
    }
    expect(chunks[1]!.split('\n')[1]).toBe('    line of code');
  });

  it('never cuts a surrogate pair when it must cut inside a word', () => {
    const chunks = splitMarkdown('😀'.repeat(1000), 999);
    for (const c of chunks) expect(c).toMatch(/^(😀)+$/u);
    expect(chunks.join('')).toBe('😀'.repeat(1000));
  });

  for (const size of [10_500, 30_000]) {
    it(`splits a ${size.toLocaleString('en')}-character answer under Slack's limit`, () => {
      const answer = longAnswer(size);
      expect(answer.length).toBeGreaterThanOrEqual(size);
      expect(fences(answer) % 2).toBe(0);
      const chunks = splitMarkdown(answer);
      expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(answer.length / 11_900));
      for (const c of chunks) {
        expect(c.length).toBeLessThan(SLACK_MARKDOWN_LIMIT);
        expect(fences(c) % 2).toBe(0);
      }
      expect(squash(chunks.join('\n'))).toBe(squash(answer));
    });
  }
});
