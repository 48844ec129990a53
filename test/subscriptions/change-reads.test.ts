import { describe, expect, it } from 'vitest';
import { changeCql, changeOf } from '../../src/subscriptions/change-reads.js';

describe('change reads', () => {
  it('asks for the space (a key is letters and digits only), the kinds and the minutes since the mark, oldest first', () => {
    const now = Date.UTC(2026, 11, 6, 10, 0);
    expect(
      changeCql({ spaceKey: 'MKT"; OR', kinds: ['page', 'comment'], since: now - 61_000, now }),
    ).toBe(
      'space = "MKTOR" AND type in (page, comment) AND lastmodified >= now("-2m") ORDER BY lastmodified ASC',
    );
  });

  it('reads a search result: version, author, message, link; skips rows without a time', () => {
    const row = {
      content: {
        id: 7,
        type: 'page',
        title: 'Plan',
        version: {
          number: 2,
          when: '2026-12-06T10:00:00.000Z',
          message: ' Moved\n  dates ',
          by: { publicName: 'Ana' },
        },
        _links: { webui: '/spaces/MKT/pages/7/Plan', base: 'https://acme.atlassian.net/wiki' },
      },
      excerpt: '@@@hl@@@Plan@@@endhl@@@ for <b>Q3</b>',
    };
    expect(changeOf(row, 'MKT')).toEqual({
      site: 'acme.atlassian.net',
      contentId: '7',
      version: 2,
      type: 'page',
      title: 'Plan',
      url: 'https://acme.atlassian.net/wiki/spaces/MKT/pages/7/Plan',
      spaceKey: 'MKT',
      author: 'Ana',
      when: Date.UTC(2026, 11, 6, 10, 0),
      excerpt: 'Plan for Q3',
      versionMessage: 'Moved dates',
    });
    expect(changeOf({ content: { id: 1, title: 'x' } }, 'MKT')).toBeUndefined();
    expect(changeOf(null, 'MKT')).toBeUndefined();
  });
});
