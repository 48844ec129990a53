/**
 * Finds a space's changes with CQL through its subscription owner's own Tool Router session
 * (never anyone else's): `space = "KEY" AND type in (…) AND lastmodified >= now("-Nm")
 * ORDER BY lastmodified ASC`, paged. The relative `now("-Nm")` (CQL functions,
 * developer.atlassian.com/cloud/confluence/cql-functions/#now) rather than a date literal:
 * Confluence reads a literal ("yyyy-MM-dd HH:mm", CQL fields, #last-modified) in the searching
 * user's own time zone, which we do not know, and a wrong guess would skip hours of changes.
 */
import type { ToolHost } from '../agent/types.js';
import { runBatch } from '../confluence/page-reads.js';
import type { Change, ContentKind } from './subscription.js';

/** Results per CQL page: Confluence's search returns at most 50 with bodies unexpanded. */
export const CQL_PAGE_SIZE = 50;
/** Pages read per poll: 500 changes; the rest are read by the next poll, from where this stopped. */
export const CQL_MAX_PAGES = 10;
/** An excerpt is one line: the first words, cut here. */
const EXCERPT_CHARS = 150;

/** The changes found, or why none could be read. */
export type ChangeRead =
  | { ok: true; changes: Change[]; complete: boolean }
  /** `access`: the owner's connection or permission is the cause (pause), else an outage. */
  | { ok: false; access: boolean; reason: string };

/** What a query asks for. */
export interface ChangeQuery {
  spaceKey: string;
  kinds: readonly ContentKind[];
  /** Epoch ms: changes at or after this (to the minute, rounded down). */
  since: number;
  now: number;
}

/** The CQL of a query (exported for tests). */
export function changeCql(q: ChangeQuery): string {
  const minutes = Math.max(1, Math.ceil((q.now - q.since) / 60_000));
  const key = q.spaceKey.replace(/[^A-Za-z0-9]/g, '');
  return `space = "${key}" AND type in (${q.kinds.join(', ')}) AND lastmodified >= now("-${minutes}m") ORDER BY lastmodified ASC`;
}

/** Reads the changes of a space, checking with the same call that the owner still sees it. */
export async function readChanges(host: ToolHost, q: ChangeQuery): Promise<ChangeRead> {
  const changes: Change[] = [];
  const cql = changeCql(q);
  for (let page = 0; page < CQL_MAX_PAGES; page++) {
    const calls: Array<[string, Record<string, unknown>]> = [
      ['CONFLUENCE_CQL_SEARCH', { cql, limit: CQL_PAGE_SIZE, start: page * CQL_PAGE_SIZE }],
    ];
    // The first page also lists the space: a space the owner can no longer see gives an empty
    // search, not an error, so its absence from their listing is what says access is lost.
    if (page === 0) calls.push(['CONFLUENCE_GET_SPACES', { keys: [q.spaceKey], limit: 1 }]);
    const [search, space] = await runBatch(host, calls, 'Check a subscribed space for changes');
    const failed = [search, space].find((r) => r && !r.ok);
    if (failed && !failed.ok) return { ok: false, ...classify(failed.reason) };
    if (page === 0 && !listsSpace(space, q.spaceKey))
      return { ok: false, access: true, reason: 'the space is no longer visible' };
    const rows = search?.ok && Array.isArray(search.value.results) ? search.value.results : [];
    for (const row of rows) {
      const change = changeOf(row, q.spaceKey);
      if (change) changes.push(change);
    }
    if (rows.length < CQL_PAGE_SIZE) return { ok: true, changes, complete: true };
  }
  return { ok: true, changes, complete: false };
}

function classify(reason: string): { access: boolean; reason: string } {
  const access = /connection|permission|not found/.test(reason);
  return { access, reason };
}

function listsSpace(found: { ok: boolean; value?: unknown } | undefined, key: string): boolean {
  const results = (found?.value as { results?: unknown } | undefined)?.results;
  return (
    Array.isArray(results) &&
    results.some((s) => String((s as { key?: unknown })?.key).toUpperCase() === key.toUpperCase())
  );
}

/**
 * A change from one CQL search result (REST v1 search: `{ content, title, excerpt, url,
 * lastModified }`, the content's `version { number, when, message, by { publicName } }`).
 * Undefined for a row without an id and a version time.
 */
export function changeOf(row: unknown, spaceKey: string): Change | undefined {
  const r = row as Record<string, unknown> | null;
  const content = (r?.content ?? r) as Record<string, unknown> | undefined;
  if (!content || content.id === undefined) return undefined;
  const version = content.version as
    | { number?: unknown; when?: unknown; createdAt?: unknown; message?: unknown; by?: unknown }
    | undefined;
  const whenText = version?.when ?? version?.createdAt ?? r?.lastModified;
  const when = typeof whenText === 'string' ? Date.parse(whenText) : Number.NaN;
  if (!Number.isFinite(when)) return undefined;
  const type = ['page', 'blogpost', 'comment'].includes(String(content.type))
    ? (content.type as ContentKind)
    : 'page';
  const container = content.container as { title?: unknown } | undefined;
  const title =
    type === 'comment' && typeof container?.title === 'string'
      ? container.title
      : String(content.title ?? r?.title ?? 'Untitled');
  const by = (version?.by as { publicName?: unknown; displayName?: unknown } | undefined) ?? {};
  const author = by.publicName ?? by.displayName;
  const message = typeof version?.message === 'string' ? version.message.trim() : '';
  const url = urlOf(content, r);
  return {
    site: url ? new URL(url).host : 'site',
    contentId: String(content.id),
    version: typeof version?.number === 'number' ? version.number : 1,
    type,
    title,
    url,
    spaceKey,
    ...(typeof author === 'string' && author ? { author } : {}),
    when,
    excerpt: oneLine(typeof r?.excerpt === 'string' ? r.excerpt : ''),
    ...(message ? { versionMessage: oneLine(message) } : {}),
  };
}

function urlOf(
  content: Record<string, unknown>,
  row: Record<string, unknown> | null,
): string | undefined {
  const links = content._links as { webui?: unknown; base?: unknown } | undefined;
  const webui = links?.webui ?? row?.url;
  const base = links?.base;
  if (typeof webui !== 'string') return undefined;
  if (/^https:\/\//.test(webui)) return webui;
  return typeof base === 'string' && /^https:\/\//.test(base) ? `${base}${webui}` : undefined;
}

/** One line of plain text: search highlights and markup dropped, whitespace folded, cut. */
function oneLine(text: string): string {
  const plain = text
    .replace(/@@@(end)?hl@@@/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > EXCERPT_CHARS ? `${plain.slice(0, EXCERPT_CHARS - 1)}…` : plain;
}
