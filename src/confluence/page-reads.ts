/**
 * The low-level Confluence reads the approval prompt and the link previews share: tools run in
 * one COMPOSIO_MULTI_EXECUTE_TOOL call, and facts read out of the REST JSON they return.
 */

import { uncutText } from '../agent/tool-result.js';
import type { ToolHost } from '../agent/types.js';
import type { PageFacts, SpaceFacts } from './operations.js';

/** Spaces listed to name a page's space: the most one Confluence v2 listing returns. */
const SPACES_LIMIT = 250;

/** A lookup's value, or why it failed (a short, safe reason). */
export type Found<T> = { ok: true; value: T } | { ok: false; reason: string };
/** A space with its id (a page names its space by id only). */
export type SpaceRow = SpaceFacts & { id: string };

/**
 * The spaces the person can see, with ids (a page names its space by id only); only those
 * with `keys` when given (a site may hold more spaces than one listing returns).
 */
export async function listSpaceRows(
  host: ToolHost,
  thought: string,
  keys?: string[],
): Promise<Found<SpaceRow[]>> {
  const args = keys ? { keys, limit: keys.length } : { limit: SPACES_LIMIT };
  const [result] = await runBatch(host, [['CONFLUENCE_GET_SPACES', args]], thought);
  if (!result?.ok) return result ?? { ok: false, reason: 'lookup failed' };
  const rows = findArray(result.value, (v) => typeof v.key === 'string' && v.id !== undefined);
  return {
    ok: true,
    value: rows.map((s) => ({
      id: String(s.id),
      key: String(s.key),
      name: typeof s.name === 'string' ? s.name : String(s.key),
      ...linkOf(s, result.value),
    })),
  };
}

/**
 * Runs tools in one COMPOSIO_MULTI_EXECUTE_TOOL call; each item's data, or why it failed. The
 * result is `{ data: { results: [{ index, response: { data, successful, error } }] } }`
 * (docs/reference: upstreams.md, "COMPOSIO_MULTI_EXECUTE_TOOL").
 */
export async function runBatch(
  host: ToolHost,
  calls: Array<[slug: string, args: Record<string, unknown>]>,
  thought: string,
): Promise<Array<Found<Record<string, unknown>>>> {
  const failedAll = (reason: string) => calls.map(() => ({ ok: false as const, reason }));
  const outcome = await host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', {
    tools: calls.map(([tool_slug, args]) => ({ tool_slug, arguments: args })),
    thought,
  });
  if (outcome.isError) return failedAll('lookup failed');
  let parsed: { data?: { results?: unknown } } | null;
  try {
    parsed = JSON.parse(uncutText(outcome));
  } catch {
    return failedAll('lookup failed');
  }
  const results = Array.isArray(parsed?.data?.results) ? parsed.data.results : [];
  return calls.map((_, position) => {
    const item = results.find((r) => r?.index === position) ?? results[position];
    const response = item?.response as
      | { data?: unknown; successful?: boolean; error?: unknown }
      | undefined;
    if (!response || response.successful === false || item.success === false) {
      return { ok: false, reason: reasonOf(response?.error ?? item?.error) };
    }
    const data = response.data;
    return data && typeof data === 'object'
      ? { ok: true, value: data as Record<string, unknown> }
      : { ok: false, reason: 'lookup failed' };
  });
}

/** A short, safe reason for a failed lookup (Confluence's error text is not shown as is). */
function reasonOf(error: unknown): string {
  const text = String(error ?? '');
  if (/\b404\b|not found/i.test(text)) return 'not found';
  if (/\b40[13]\b|permission|forbidden|unauthori[sz]ed/i.test(text)) return 'no permission';
  if (/connection|connect/i.test(text)) return 'no Confluence connection';
  return 'lookup failed';
}

/** The page object with this id in a tool's REST JSON, wherever it is nested; else undefined. */
export function pageJson(
  data: Record<string, unknown>,
  id: string,
): Record<string, unknown> | undefined {
  return findArray([data], (v) => String(v.id) === id && typeof v.title === 'string')[0];
}

/** A page's facts from its REST JSON, only if it is the page asked for (never a guess). */
export function pageFacts(
  data: Record<string, unknown>,
  id: string,
): Found<PageFacts & { spaceId?: string }> {
  const page = pageJson(data, id);
  if (!page) return { ok: false, reason: 'not found' };
  const version = page.version as { number?: unknown; createdAt?: unknown; when?: unknown } | null;
  const editedAt = version?.createdAt ?? version?.when ?? page.lastModified;
  const space = page.space as { key?: unknown; id?: unknown } | undefined;
  const spaceId = page.spaceId ?? space?.id;
  return {
    ok: true,
    value: {
      title: String(page.title),
      ...(typeof version?.number === 'number' ? { version: version.number } : {}),
      ...(typeof editedAt === 'string' && !Number.isNaN(Date.parse(editedAt)) ? { editedAt } : {}),
      ...(typeof space?.key === 'string' ? { spaceKey: space.key } : {}),
      ...(spaceId !== undefined ? { spaceId: String(spaceId) } : {}),
      ...linkOf(page, data),
    },
  };
}

/** `{ url }` from an item's `_links.webui` and the `_links.base` beside it or above it. */
function linkOf(item: Record<string, unknown>, outer: Record<string, unknown>): { url?: string } {
  const links = item._links as { webui?: unknown; base?: unknown } | undefined;
  const base = links?.base ?? (outer._links as { base?: unknown } | undefined)?.base;
  const webui = links?.webui;
  if (typeof webui !== 'string') return {};
  if (/^https:\/\//.test(webui)) return { url: webui };
  return typeof base === 'string' && /^https:\/\//.test(base) ? { url: `${base}${webui}` } : {};
}

/** Objects anywhere in `value` (depth-bounded) that satisfy `keep`: the first array holding any. */
function findArray(
  value: unknown,
  keep: (v: Record<string, unknown>) => boolean,
  depth = 0,
): Array<Record<string, unknown>> {
  if (depth > 6 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) {
    const kept = value.filter((v) => v && typeof v === 'object' && keep(v));
    if (kept.length) return kept;
  }
  for (const child of Object.values(value)) {
    const found = findArray(child, keep, depth + 1);
    if (found.length) return found;
  }
  return [];
}
