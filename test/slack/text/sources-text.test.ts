import { describe, expect, it } from 'vitest';
import { sourcesMarkdown, withSources } from '../../../src/slack/text/sources-text.js';

describe('sourcesMarkdown', () => {
  it('lists each cited page under its marker number, linked, with its space', () => {
    expect(
      sourcesMarkdown([
        {
          url: 'https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Plan',
          title: 'Launch Plan',
          space: 'MKT',
        },
        { url: 'https://acme.atlassian.net/wiki/x/(draft) page', title: 'Q3 [draft] *notes*' },
      ]),
    ).toBe(
      [
        '**Sources**',
        '- [1] [Launch Plan](https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Plan) · MKT',
        '- [2] [Q3 \\[draft\\] \\*notes\\*](https://acme.atlassian.net/wiki/x/%28draft%29%20page)',
      ].join('\n'),
    );
  });

  it('adds nothing to an answer that cites no page', () => {
    expect(sourcesMarkdown([])).toBe('');
    expect(withSources('Done.', undefined)).toBe('Done.');
    expect(withSources('In May[1].', [{ url: 'https://a.test/p', title: 'P' }])).toBe(
      'In May[1].\n\n**Sources**\n- [1] [P](https://a.test/p)',
    );
  });
});
