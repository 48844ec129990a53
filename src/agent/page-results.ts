import type Anthropic from '@anthropic-ai/sdk';
import { capText, MAX_TOOL_RESULT_CHARS, uncutText } from './tool-result.js';
import type { ToolOutcome } from './types.js';

// Page text goes to Claude as `search_result` blocks, so the answer can cite the pages it used:
// {type: "search_result", source, title, content: [{type: "text", text}], citations: {enabled}}
// inside the tool_result (SearchResultBlockParam in @anthropic-ai/sdk 1.12, messages.d.ts;
// https://docs.claude.com/en/docs/build-with-claude/search-results). Citations are all-or-none
// across the search results of one request, so every one we send has them enabled.

/** A paragraph longer than this is cut into blocks of this size: the smallest citable unit. */
const MAX_BLOCK_CHARS = 1_500;
/** Short paragraphs are merged up to this size, so a page is a few dozen blocks, not hundreds. */
const MERGE_BLOCK_CHARS = 600;

type Json = Record<string, unknown>;
type SearchResult = Anthropic.SearchResultBlockParam;

interface Page {
  url: string;
  title: string;
  text: string;
}

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Confluence storage format (XHTML) as plain text, one paragraph a line. */
export function storageToText(xhtml: string): string {
  return xhtml
    .replace(/<\/(p|h[1-6]|li|tr|div|blockquote|pre)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#\d+|[a-z]+);/gi, (whole, name: string) =>
      name.startsWith('#')
        ? String.fromCodePoint(Number(name.slice(1)))
        : (ENTITIES[name] ?? whole),
    )
    .replace(/@@@(end)?hl@@@/g, '') // Confluence search highlights
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** The absolute address of a Confluence link (`_links.webui` is relative to `_links.base`). */
function absolute(link: unknown, base: string | undefined): string | undefined {
  if (typeof link !== 'string' || !link) return undefined;
  if (/^https?:\/\//.test(link)) return link;
  return base && link.startsWith('/') ? `${base.replace(/\/$/, '')}${link}` : undefined;
}

/**
 * A page or blog post as Confluence's REST API (and Composio's tools over it) return one: a
 * title, and a web link to a page (`/pages/…`, `/blog/…`) as `_links.webui` or, in CQL search
 * hits, `url` (with the page itself under `content`).
 */
function asPage(item: Json, base: string | undefined): Page | undefined {
  if (typeof item.title !== 'string' || !item.title.trim()) return undefined;
  const links = isObject(item._links) ? item._links : {};
  const link = [links.webui, item.url].find(
    (l) => typeof l === 'string' && /\/(pages|blog)\//.test(l),
  );
  const url = absolute(link, typeof links.base === 'string' ? links.base : base);
  if (!url) return undefined;
  const body = isObject(item.body) ? item.body : {};
  const storage = [body.storage, body.view, body.export_view].find(
    (b) => isObject(b) && typeof b.value === 'string',
  ) as { value: string } | undefined;
  const text = storage
    ? storageToText(storage.value)
    : typeof item.excerpt === 'string'
      ? storageToText(item.excerpt)
      : '';
  return { url, title: item.title.trim(), text };
}

/**
 * Walks a tool's JSON output, taking out each page it finds (its text moves to a search result)
 * and leaving the rest — ids, versions, counts, errors — for the model as it was.
 */
function takePages(value: unknown, base: string | undefined, pages: Page[]): unknown {
  if (Array.isArray(value)) return value.map((v) => takePages(v, base, pages));
  if (!isObject(value)) return value;
  const links = isObject(value._links) ? value._links : {};
  const here = typeof links.base === 'string' ? links.base : base;
  const page = asPage(value, here);
  if (page) {
    pages.push(page);
    const { body: _body, excerpt: _excerpt, content, ...rest } = value;
    // A CQL hit holds the page itself as `content`: the same page, its text already taken.
    const inner = isObject(content) ? { content: { ...content, body: undefined } } : {};
    return { ...rest, ...inner, page_text: `search result ${pages.length} below` };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, takePages(v, here, pages)]));
}

/** A page's text in citable blocks, within `budget` characters (at least its title). */
function blocksOf(page: Page, budget: number): Anthropic.TextBlockParam[] {
  const blocks: string[] = [];
  let used = 0;
  // The text from its beginning, up to where the budget ends: no gaps in what is shown.
  const pieces = page.text
    .split('\n')
    .flatMap((p) =>
      Array.from({ length: Math.ceil(p.length / MAX_BLOCK_CHARS) }, (_, i) =>
        p.slice(i * MAX_BLOCK_CHARS, (i + 1) * MAX_BLOCK_CHARS),
      ),
    );
  for (const piece of pieces) {
    if (used + piece.length > budget) break;
    used += piece.length;
    const last = blocks.length - 1;
    if (last >= 0 && blocks[last]!.length + piece.length < MERGE_BLOCK_CHARS)
      blocks[last] = `${blocks[last]}\n${piece}`;
    else blocks.push(piece);
  }
  return (blocks.length ? blocks : [`Page "${page.title}" (no text in this result)`]).map(
    (text) => ({ type: 'text', text }),
  );
}

/**
 * A tool outcome whose JSON carries Confluence pages (a search, a page read, a listing, CQL
 * hits, child pages, or any of these inside COMPOSIO_MULTI_EXECUTE_TOOL's results), rewritten
 * for citations: the JSON without the pages' text, then one `search_result` per page (source =
 * its URL). Anything that cannot be read as pages — an error, plain text, JSON without pages,
 * images — comes back unchanged. `uncut` is the outcome as the tool host made it, whose whole
 * text (before the cap) is read when `outcome` is a copy of it.
 */
export function withPageResults(outcome: ToolOutcome, uncut: ToolOutcome = outcome): ToolOutcome {
  if (outcome.isError || !Array.isArray(outcome.content)) return outcome;
  if (outcome.content.some((b) => b.type !== 'text')) return outcome;
  let parsed: unknown;
  try {
    parsed = JSON.parse(uncutText(uncut));
  } catch {
    return outcome;
  }
  const pages: Page[] = [];
  const rest = takePages(parsed, undefined, pages);
  if (!pages.length) return outcome;
  const summary = capText(JSON.stringify(rest), MAX_TOOL_RESULT_CHARS / 4);
  let budget = MAX_TOOL_RESULT_CHARS - summary.length;
  const results: SearchResult[] = pages.map((page) => {
    const content = blocksOf(page, Math.max(0, budget));
    budget -= content.reduce((n, b) => n + b.text.length, 0);
    return {
      type: 'search_result',
      source: page.url,
      title: page.title,
      content,
      citations: { enabled: true },
    };
  });
  return { content: [{ type: 'text', text: summary }, ...results], isError: false };
}
