/** Which links are Confluence pages (src/confluence/page-url.ts): pure, no network. */
import { describe, expect, it } from 'vitest';
import { isConfluenceHost, pageRefOf } from '../../src/confluence/page-url.js';

const DOMAINS = ['acme.atlassian.net', 'wiki.example.com'];

describe('pageRefOf', () => {
  it.each([
    ['https://acme.atlassian.net/wiki/spaces/MKT/pages/123/Launch+Plan', '123'],
    ['https://acme.atlassian.net/wiki/spaces/MKT/pages/123', '123'],
    ['https://ACME.atlassian.net/wiki/spaces/~me/pages/45/x?focusedCommentId=1#c', '45'],
    ['https://acme.atlassian.net/wiki/spaces/MKT/pages/edit-v2/77', '77'],
    ['https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=98', '98'],
    ['https://docs.wiki.example.com/wiki/spaces/ENG/pages/5/Runbook', '5'],
  ])('reads %s as page %s', (url, pageId) => {
    expect(pageRefOf(url, DOMAINS)).toEqual({
      url,
      host: new URL(url).hostname.toLowerCase(),
      pageId,
    });
  });

  it.each([
    ['another site', 'https://other.atlassian.net/wiki/spaces/MKT/pages/1'],
    ['a look-alike host', 'https://acme.atlassian.net.evil.com/wiki/spaces/MKT/pages/1'],
    ['plain http', 'http://acme.atlassian.net/wiki/spaces/MKT/pages/1'],
    ['a space', 'https://acme.atlassian.net/wiki/spaces/MKT/overview'],
    ['a blog post', 'https://acme.atlassian.net/wiki/spaces/MKT/blog/2026/01/02/5/News'],
    ['a tiny link', 'https://acme.atlassian.net/wiki/x/AbCd'],
    ['a bad pageId', 'https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=1;drop'],
    ['a Jira issue', 'https://acme.atlassian.net/browse/ENG-1'],
    ['not a URL', 'acme.atlassian.net/wiki/spaces/MKT/pages/1'],
    ['an id too long', `https://acme.atlassian.net/wiki/spaces/MKT/pages/${'1'.repeat(40)}`],
  ])('ignores %s', (_what, url) => {
    expect(pageRefOf(url, DOMAINS)).toBeUndefined();
  });

  it('matches a domain and its subdomains only', () => {
    expect(isConfluenceHost('acme.atlassian.net', ['atlassian.net'])).toBe(true);
    expect(isConfluenceHost('atlassian.net', ['atlassian.net'])).toBe(true);
    expect(isConfluenceHost('notatlassian.net', ['atlassian.net'])).toBe(false);
    expect(isConfluenceHost('acme.atlassian.net', [])).toBe(false);
  });
});
