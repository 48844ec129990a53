import { describe, expect, it } from 'vitest';
import { markdownToPlainText } from '../../../src/slack/text/plain-text.js';
import { tableCells, toSlackMarkdown } from '../../../src/slack/text/slack-markdown.js';

describe('toSlackMarkdown', () => {
  it('leaves what the markdown block renders untouched', () => {
    const md = [
      '# Launch plan',
      '',
      'Some **bold**, _italic_, ~~struck~~ and `code` with a [link](https://x.example/a_b).',
      '',
      '- one',
      '  - nested',
      '1. first',
      '',
      '> quoted',
      '',
      '```',
      'const a = 1;',
      '```',
    ].join('\n');
    expect(toSlackMarkdown(md)).toBe(md);
  });

  it('turns a table into one bullet per row, keeping links and labelling columns', () => {
    const md = [
      'Pages:',
      '',
      '| Page | Space | Link |',
      '|:-----|:-----:|------|',
      '| Launch Plan | MKT | [open](https://x.example/1) |',
      '| Q3 planning | ENG | [open](https://x.example/2) |',
      '',
      'Done.',
    ].join('\n');
    expect(toSlackMarkdown(md)).toBe(
      [
        'Pages:',
        '',
        '- **Launch Plan** — Space: MKT · Link: [open](https://x.example/1)',
        '- **Q3 planning** — Space: ENG · Link: [open](https://x.example/2)',
        '',
        'Done.',
      ].join('\n'),
    );
  });

  it('collapses a two-column table to label — value', () => {
    const md = 'Key | Value\n--- | ---\nstatus | current\nversion | 3';
    expect(toSlackMarkdown(md)).toBe('- **status** — current\n- **version** — 3');
  });

  it('splits cells on unescaped pipes only', () => {
    expect(tableCells('| a \\| b | c |')).toEqual(['a | b', 'c']);
  });

  it('drops fence languages, keeps code verbatim, and closes an unclosed fence', () => {
    const md = '```ts\n| not | a | table |\n|---|---|---|\n---\n```\nafter\n~~~python\nx = 1';
    expect(toSlackMarkdown(md)).toBe(
      '```\n| not | a | table |\n|---|---|---|\n---\n```\nafter\n```\nx = 1\n```',
    );
  });

  it('turns rules into breaks, setext underlines into headings, task boxes into symbols', () => {
    expect(toSlackMarkdown('Intro\n\n***\n\nNext')).toBe('Intro\n\n\n\nNext');
    expect(toSlackMarkdown('Summary\n---\ntext')).toBe('## Summary\ntext');
    expect(toSlackMarkdown('- [ ] write\n- [x] review')).toBe('- ☐ write\n- ☑ review');
  });
});

describe('markdownToPlainText', () => {
  it('shows no Markdown syntax: emphasis, headings, code, quotes, links', () => {
    const md =
      '## Created **Launch Plan**\n\n> _Note_: see [the page](https://x.example/p) and `snake_case_id`.\n\n```\ncode\n```';
    expect(markdownToPlainText(md)).toBe(
      'Created Launch Plan Note: see the page and snake_case_id. code',
    );
  });

  it('keeps underscores and asterisks inside words', () => {
    expect(markdownToPlainText('file_name_v2 and 2*3*4 stay')).toBe('file_name_v2 and 2*3*4 stay');
  });

  it('uses bullets for list items and drops task boxes', () => {
    expect(markdownToPlainText('- [x] done\n* two\n+ three')).toBe('• done • two • three');
  });

  it('escapes Slack control characters but keeps user mentions', () => {
    expect(markdownToPlainText('<@U0ALICE> & <!here> <b>')).toBe(
      '<@U0ALICE> &amp; &lt;!here&gt; &lt;b&gt;',
    );
  });

  it('cuts long text with an ellipsis', () => {
    const out = markdownToPlainText('word '.repeat(200), 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.endsWith('…')).toBe(true);
  });
});
