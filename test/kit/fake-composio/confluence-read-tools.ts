/** Read-only Confluence tools of the emulator (spaces, pages, search, labels). */
import { z } from 'zod';
import { type ConfluenceContent, ConfluenceError, type ConfluenceSite } from './confluence-site.js';
import { defineTool, idSchema, limitSchema, plainText, spaceRefSchema } from './confluence-tool.js';

const list = (site: ConfluenceSite, results: unknown[]) => ({
  results,
  _links: { base: site.baseUrl },
});

const matches = (item: ConfluenceContent, term: string, field: 'title' | 'text'): boolean => {
  const haystack = field === 'title' ? item.title : `${item.title} ${plainText(item.body)}`;
  return haystack.toLowerCase().includes(term.toLowerCase());
};

/**
 * A CQL date: `"yyyy-MM-dd HH:mm"`, `"yyyy/MM/dd HH:mm"`, `"yyyy-MM-dd"` or `"yyyy/MM/dd"`
 * (the formats of Confluence's CQL field reference for `lastmodified`/`created`,
 * developer.atlassian.com/cloud/confluence/cql-fields/#last-modified; Confluence reads them in
 * the searching user's time zone: the fake's users are all on UTC), or `now("-5m")`
 * (CQL functions, developer.atlassian.com/cloud/confluence/cql-functions/#now: an offset of
 * w/d/h/m from now). Minute precision, as CQL dates have.
 */
function cqlDate(literal: string): number {
  const now = /^now\(\s*"?([-+]?)(\d+)([wdhm])"?\s*\)$/i.exec(literal.trim());
  if (now) {
    const unit = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 }[
      now[3]!.toLowerCase() as 'w' | 'd' | 'h' | 'm'
    ];
    const sign = now[1] === '-' ? -1 : 1;
    return Date.now() + sign * Number(now[2]) * unit;
  }
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(literal.trim());
  if (!m) throw new ConfluenceError(400, 'BAD_REQUEST', `Could not parse date: ${literal}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0));
}

/** Minute start of an ISO time: CQL compares dates to the minute. */
const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / 60_000) * 60_000;

/**
 * Filters content with a tiny CQL subset joined by AND: text/title ~, space =, type = or
 * type in (page, blogpost, comment), label =, lastmodified >= / > <date>, and ORDER BY
 * lastmodified [ASC|DESC]. Comments are found only by a query naming type comment, as in
 * Confluence, where a plain text search leaves them out unless asked.
 */
function cqlFilter(site: ConfluenceSite, cql: string): ConfluenceContent[] {
  const wantsComments = /type\s*(=\s*"?comment|in\s*\([^)]*comment)/i.test(cql);
  let items = [...site.pages, ...site.blogposts, ...(wantsComments ? site.comments : [])].filter(
    (i) => site.canRead(i),
  );
  const order = /ORDER BY\s+lastmodified(?:\s+(ASC|DESC))?/i.exec(cql);
  const where = cql.replace(/ORDER BY.*$/i, '');
  const typeIn = /\btype\s+in\s*\(([^)]*)\)/i.exec(where);
  if (typeIn) {
    const types = typeIn[1]!.split(',').map((t) => t.trim().replace(/^["']|["']$/g, ''));
    items = items.filter((i) => types.includes(i.type));
  }
  const modified = /\blastmodified\s*(>=|>)\s*(now\([^)]*\)|"[^"]*"|'[^']*')/i.exec(where);
  if (modified) {
    const bound = cqlDate(modified[2]!.replace(/^["']|["']$/g, ''));
    const minute = Math.floor(bound / 60_000) * 60_000;
    items = items.filter((i) =>
      modified[1] === '>=' ? minuteOf(i.updatedAt) >= minute : minuteOf(i.updatedAt) > minute,
    );
  }
  const clause = /(\w+)\s*(~|=)\s*(?:"([^"]*)"|'([^']*)'|([\w-]+))/g;
  for (const m of where.matchAll(clause)) {
    const field = m[1]?.toLowerCase();
    const value = m[3] ?? m[4] ?? m[5] ?? '';
    if (field === 'text' || field === 'title')
      items = items.filter((i) => matches(i, value, field));
    else if (field === 'space')
      items = items.filter((i) => site.space(i.spaceId).key === value.toUpperCase());
    else if (field === 'type') items = items.filter((i) => i.type === value);
    else if (field === 'label') items = items.filter((i) => i.labels.includes(value.toLowerCase()));
  }
  if (order) {
    const sign = order[1]?.toUpperCase() === 'DESC' ? -1 : 1;
    items.sort((a, b) => sign * (Date.parse(a.updatedAt) - Date.parse(b.updatedAt)));
  }
  return items;
}

/** The read tools. */
export const readTools = [
  defineTool({
    slug: 'CONFLUENCE_GET_SPACES',
    description: 'List the Confluence spaces the user can see, optionally filtered by key or type.',
    write: false,
    input: z.object({
      keys: z.array(z.string()).optional().describe('Only return spaces with these keys.'),
      type: z.enum(['global', 'personal']).optional().describe('Filter by space type.'),
      limit: limitSchema,
    }),
    run: (site, args) => {
      const keys = args.keys?.map((k) => k.toUpperCase());
      const spaces = site.spaces.filter(
        (s) => (!keys || keys.includes(s.key)) && (!args.type || s.type === args.type),
      );
      return list(
        site,
        spaces.slice(0, args.limit ?? 25).map((s) => site.spaceJson(s)),
      );
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_GET_PAGES',
    description: 'List pages, optionally in one space or with an exact title, newest first.',
    write: false,
    input: z.object({
      spaceId: spaceRefSchema.optional(),
      title: z.string().optional().describe('Exact page title to match.'),
      body_format: z.enum(['storage']).optional().describe('Include page bodies in this format.'),
      limit: limitSchema,
    }),
    run: (site, args) => {
      const spaceId = args.spaceId === undefined ? undefined : site.space(args.spaceId).id;
      const pages = site.pages
        .filter(
          (p) =>
            site.canRead(p) &&
            (!spaceId || p.spaceId === spaceId) &&
            (!args.title || p.title === args.title),
        )
        .reverse();
      const json = pages.map((p) => site.contentJson(p, args.body_format === 'storage'));
      return list(site, json.slice(0, args.limit ?? 25));
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_GET_PAGE_BY_ID',
    description: 'Get one page by its numeric id, including its storage-format body and version.',
    write: false,
    input: z.object({ id: idSchema }),
    run: (site, args) => site.contentJson(site.content(args.id)),
  }),
  defineTool({
    slug: 'CONFLUENCE_GET_CONTENT_RESTRICTIONS',
    description: 'Retrieves view and edit restrictions for a Confluence page or blog post.',
    write: false,
    input: z.object({
      id: idSchema,
      expand: z.array(z.string()).nullable().optional().describe('Properties to expand.'),
    }),
    run: (site, args) => site.restrictionsJson(site.content(args.id, true)),
  }),
  defineTool({
    slug: 'CONFLUENCE_GET_CHILD_PAGES',
    description: 'List the direct child pages of a page.',
    write: false,
    input: z.object({ id: idSchema, limit: limitSchema }),
    run: (site, args) => {
      const parent = site.content(args.id);
      const children = site.pages.filter((p) => p.parentId === parent.id && site.canRead(p));
      return list(
        site,
        children.slice(0, args.limit ?? 25).map((p) => site.contentJson(p, false)),
      );
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_SEARCH_CONTENT',
    description: 'Search pages and blog posts by title keywords, optionally within one space.',
    write: false,
    input: z.object({
      query: z.string().describe('Words to look for in content titles.'),
      spaceKey: z.string().optional().describe('Only search this space (key).'),
      limit: limitSchema,
      start: z.number().int().min(0).optional().describe('Offset of the first result.'),
    }),
    run: (site, args) => {
      const words = args.query.toLowerCase().split(/\s+/).filter(Boolean);
      const spaceId = args.spaceKey === undefined ? undefined : site.space(args.spaceKey).id;
      const found = [...site.pages, ...site.blogposts].filter(
        (i) =>
          site.canRead(i) &&
          (!spaceId || i.spaceId === spaceId) &&
          words.every((w) => i.title.toLowerCase().includes(w)),
      );
      const start = args.start ?? 0;
      const limit = args.limit ?? 25;
      const results = found.slice(start, start + limit).map((i) => site.contentJson(i, false));
      return { ...list(site, results), start, limit, size: results.length };
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_CQL_SEARCH',
    description:
      'Full-text search with CQL, e.g. text ~ "roadmap" AND space = ENG AND type = page.',
    write: false,
    input: z.object({
      cql: z.string().describe('The CQL query.'),
      limit: limitSchema,
      start: z.number().int().min(0).optional().describe('Offset of the first result.'),
    }),
    run: (site, args) => {
      const start = args.start ?? 0;
      const limit = args.limit ?? 25;
      const all = cqlFilter(site, args.cql);
      const found = all.slice(start, start + limit);
      const results = found.map((i) => ({
        content: site.contentJson(i, false),
        title: i.title,
        excerpt: plainText(i.body).slice(0, 200),
        url: (site.contentJson(i, false)._links as { webui: string }).webui,
        lastModified: i.updatedAt,
      }));
      // REST v1 search: `start`, `limit`, `size` (this page), `totalSize` (all matches).
      return {
        ...list(site, results),
        cqlQuery: args.cql,
        size: results.length,
        start,
        limit,
        totalSize: all.length,
      };
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_GET_LABELS_FOR_PAGE',
    description: 'List the labels on a page.',
    write: false,
    input: z.object({ id: idSchema }),
    run: (site, args) => {
      const page = site.content(args.id, true);
      return list(
        site,
        page.labels.map((name) => ({ id: `${page.id}-${name}`, name, prefix: 'global' })),
      );
    },
  }),
];
