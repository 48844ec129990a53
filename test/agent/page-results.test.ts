import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { storageToText, withPageResults } from '../../src/agent/page-results.js';
import { MAX_TOOL_RESULT_CHARS, toToolOutcome } from '../../src/agent/tool-result.js';
import type { ToolOutcome } from '../../src/agent/types.js';

const BASE = 'https://acme.atlassian.net/wiki';

/** A page as Confluence REST v2 returns it (body only when asked for). */
const page = (id: string, title: string, html?: string) => ({
  id,
  type: 'page',
  title,
  spaceId: '98305',
  version: { number: 3 },
  ...(html === undefined ? {} : { body: { storage: { representation: 'storage', value: html } } }),
  _links: { webui: `/spaces/MKT/pages/${id}/${title.replace(/ /g, '+')}`, base: BASE },
});

/** A Tool Router result as MCP text: `{data, error, successful}`. */
const routed = (data: unknown): ToolOutcome =>
  toToolOutcome({
    content: [{ type: 'text', text: JSON.stringify({ data, error: null, successful: true }) }],
  });

const multi = (...responses: unknown[]) =>
  routed({
    results: responses.map((data, index) => ({
      index,
      tool_slug: 'CONFLUENCE_X',
      response: { data, error: null, successful: true },
      error: null,
      success: true,
    })),
    total_count: responses.length,
  });

const searchResults = (outcome: ToolOutcome) =>
  (Array.isArray(outcome.content) ? outcome.content : []).filter(
    (b): b is Anthropic.SearchResultBlockParam => b.type === 'search_result',
  );

describe('withPageResults', () => {
  it('turns a page read into a citable search result, its text in paragraphs', () => {
    const outcome = withPageResults(
      routed(
        page('101', 'Launch Plan', '<h1>Launch</h1><p>We launch in <b>May</b> &amp; June.</p>'),
      ),
    );
    const [result, ...others] = searchResults(outcome);
    expect(others).toEqual([]);
    expect(result).toEqual({
      type: 'search_result',
      source: `${BASE}/spaces/MKT/pages/101/Launch+Plan`,
      title: 'Launch Plan',
      content: [{ type: 'text', text: 'Launch\nWe launch in May & June.' }],
      citations: { enabled: true },
    });
    // The rest of the JSON stays for the model (ids, versions), without the body.
    const summary = (outcome.content as Array<{ type: string; text?: string }>)[0]!;
    expect(summary.type).toBe('text');
    expect(summary.text).toContain('"version":{"number":3}');
    expect(summary.text).not.toContain('We launch');
    expect(outcome.isError).toBe(false);
  });

  it('reads listings, children and searches inside multi-execute, links resolved against _links.base', () => {
    const listing = { results: [page('1', 'One'), page('2', 'Two')], _links: { base: BASE } };
    const cqlHit = {
      content: { ...page('3', 'Three'), _links: { webui: '/spaces/ENG/pages/3/Three' } },
      title: 'Three',
      excerpt: 'the @@@hl@@@roadmap@@@endhl@@@ for Q3',
      url: '/spaces/ENG/pages/3/Three',
    };
    const cql = { results: [cqlHit], _links: { base: BASE }, cqlQuery: 'text ~ roadmap' };
    const results = searchResults(withPageResults(multi(listing, cql)));
    expect(results.map((r) => [r.title, r.source])).toEqual([
      ['One', `${BASE}/spaces/MKT/pages/1/One`],
      ['Two', `${BASE}/spaces/MKT/pages/2/Two`],
      ['Three', `${BASE}/spaces/ENG/pages/3/Three`],
    ]);
    // A page listed without its body is still citable by its title; a CQL hit by its excerpt.
    expect(results[0]!.content).toEqual([
      { type: 'text', text: 'Page "One" (no text in this result)' },
    ]);
    expect(results[2]!.content).toEqual([{ type: 'text', text: 'the roadmap for Q3' }]);
    // Each page is named once in what stays (a CQL hit's inner page is the same page).
    const rest = JSON.stringify(withPageResults(multi(listing, cql)).content);
    expect(rest.match(/page_text/g)).toHaveLength(3);
  });

  it('keeps results that cannot be read as pages as they are', () => {
    const spaces = routed({
      results: [
        { id: '9', key: 'MKT', name: 'Marketing', _links: { webui: '/spaces/MKT', base: BASE } },
      ],
    });
    const plain: ToolOutcome = { content: [{ type: 'text', text: 'Created.' }], isError: false };
    const failed: ToolOutcome = {
      content: [{ type: 'text', text: JSON.stringify(page('1', 'One', '<p>x</p>')) }],
      isError: true,
    };
    const relative = routed({
      id: '1',
      title: 'No base',
      _links: { webui: '/spaces/X/pages/1/No' },
    });
    for (const outcome of [spaces, plain, failed, relative]) {
      expect(withPageResults(outcome)).toBe(outcome);
    }
  });

  it('reads the whole text of a result the cap cut, and keeps the total within the cap', () => {
    const paragraph = `<p>${'word '.repeat(200)}</p>`;
    const big = page('7', 'Big', paragraph.repeat(60)); // ~60,000 characters
    const outcome = withPageResults(
      routed({ results: [big, page('8', 'Small', paragraph)], _links: { base: BASE } }),
    );
    const [first, second] = searchResults(outcome);
    expect(first!.content.length).toBeGreaterThan(5);
    for (const block of first!.content) expect(block.text.length).toBeLessThanOrEqual(1_500);
    const total = JSON.stringify(outcome.content).length;
    expect(total).toBeLessThan(MAX_TOOL_RESULT_CHARS * 1.2);
    // Past the budget a page still comes, as a citable title.
    expect(second!.content[0]!.text).toContain('Small');
  });
});

describe('storageToText', () => {
  it('keeps paragraphs, drops tags and decodes entities', () => {
    expect(storageToText('<p>a&nbsp;<em>b</em></p><ul><li>c &lt; d</li><li>&#233;</li></ul>')).toBe(
      'a b\nc < d\né',
    );
  });
});
