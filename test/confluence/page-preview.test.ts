/**
 * What a link preview reads out of the Confluence tools' JSON (src/confluence/page-preview.ts):
 * read restrictions, and a plain-text excerpt. Pure; the lookups themselves run end to end in
 * test/slack/listeners/events/link-shared.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  EXCERPT_MAX_CHARS,
  excerptOf,
  hasReadRestrictions,
} from '../../src/confluence/page-preview.js';

const holders = (users: number, groups: number) => ({
  user: { results: Array.from({ length: users }, (_, i) => ({ accountId: `a${i}` })), size: users },
  group: { results: Array.from({ length: groups }, (_, i) => ({ name: `g${i}` })), size: groups },
});

describe('hasReadRestrictions', () => {
  it('is true when a user or a group is named for read, false when none is', () => {
    const read = (users: number, groups: number) => ({
      restrictions: { read: { operation: 'read', restrictions: holders(users, groups) } },
    });
    expect(hasReadRestrictions(read(0, 0))).toBe(false);
    expect(hasReadRestrictions(read(1, 0))).toBe(true);
    expect(hasReadRestrictions(read(0, 2))).toBe(true);
    // Only an edit restriction: anyone who can see the space can read the page.
    expect(
      hasReadRestrictions({
        restrictions: { update: { operation: 'update', restrictions: holders(1, 0) } },
      }),
    ).toBe(false);
  });

  it('cannot tell from a shape it does not know (the caller then treats the page as restricted)', () => {
    expect(hasReadRestrictions({})).toBeUndefined();
    expect(hasReadRestrictions({ restrictions: 'none' })).toBeUndefined();
    expect(hasReadRestrictions({ restrictions: { read: { restrictions: null } } })).toBeUndefined();
  });
});

describe('excerptOf', () => {
  const page = (value: unknown) => ({ body: { storage: { representation: 'storage', value } } });

  it('is the plain text of the storage body, macros and markup removed', () => {
    const html =
      '<h1>Plan</h1><ac:structured-macro ac:name="toc"><ac:parameter>x</ac:parameter></ac:structured-macro>' +
      '<p>Ship &amp; tell&nbsp;<strong>&lt;soon&gt;</strong>.</p>';
    expect(excerptOf(page(html))).toBe('Plan Ship & tell <soon> .');
  });

  it('is cut at a word, within its bound', () => {
    const long = `<p>${'word '.repeat(200)}</p>`;
    const excerpt = excerptOf(page(long)) ?? '';
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS + 1);
    expect(excerpt).toMatch(/word…$/);
  });

  it('is absent for an empty or missing body', () => {
    expect(excerptOf(page('<p> </p>'))).toBeUndefined();
    expect(excerptOf({})).toBeUndefined();
    expect(excerptOf(undefined)).toBeUndefined();
  });
});
