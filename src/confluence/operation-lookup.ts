import type { PendingApproval } from '../agent/agent-config.js';
import { uncutText } from '../agent/tool-result.js';
import type { ToolHost } from '../agent/types.js';
import type { Logger } from '../logger.js';
import {
  actionOf,
  type DescribedOperation,
  describe,
  operationsOf,
  type PageFacts,
  type SpaceFacts,
  type TargetLookup,
} from './operations.js';

/**
 * Pages looked up per COMPOSIO_MULTI_EXECUTE_TOOL call: its schema takes at most 50 items, and
 * Composio runs a batch's items side by side, so a smaller batch spares Confluence's rate limit.
 */
export const PAGES_PER_CALL = 20;
/** Lookup calls under way at once for one prompt. */
export const LOOKUP_CONCURRENCY = 2;
/** Distinct pages looked up for one prompt at most; any beyond show their id, not looked up. */
export const MAX_PAGE_LOOKUPS = 100;
/** The prompt waits this long for its lookups at most; what has not come back by then failed. */
export const LOOKUP_TIMEOUT_MS = 10_000;
/** Spaces listed to name a page's space: the most one Confluence v2 listing returns. */
const SPACES_LIMIT = 250;

type Found<T> = { ok: true; value: T } | { ok: false; reason: string };
type SpaceRow = SpaceFacts & { id: string };

/**
 * Describes the operations of pending calls, looking up each page and space they name with the
 * person's own Tool Router session (several pages in one batched call, a few calls at once,
 * within a time bound). Never throws: a failed lookup is described as failed, with its id.
 */
export async function lookupOperations(
  host: ToolHost,
  approvals: readonly PendingApproval[],
  logger: Pick<Logger, 'warn'>,
  timeoutMs = LOOKUP_TIMEOUT_MS,
): Promise<DescribedOperation[]> {
  const operations = operationsOf(approvals);
  const actions = operations.map(actionOf);
  const pageIds = [
    ...new Set(
      actions.flatMap((a) => {
        const id = a?.kind === 'page' ? a.id : a?.pageId;
        return id ? [id] : [];
      }),
    ),
  ].slice(0, MAX_PAGE_LOOKUPS);
  const needSpaces = pageIds.length > 0 || actions.some((a) => a?.kind === 'space');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const pages = new Map<string, Found<PageFacts & { spaceId?: string }>>();
  let spaces: Found<SpaceRow[]> = { ok: false, reason: 'timed out' };
  const work = Promise.all([
    lookUpPages(host, pageIds, pages),
    needSpaces ? listSpaceRows(host).then((s) => (spaces = s)) : undefined,
  ]);
  const outcome = await Promise.race([work.then(() => 'done' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') logger.warn({ pages: pageIds.length }, 'approval lookups timed out');

  const pageLookup = (id: string | undefined): TargetLookup | undefined => {
    if (!id || !pageIds.includes(id)) return undefined;
    const found = pages.get(id) ?? { ok: false, reason: 'timed out' };
    if (!found.ok) return { status: 'failed', reason: found.reason };
    const { spaceId, ...page } = found.value;
    const space = spaces.ok && spaceId ? spaces.value.find((s) => s.id === spaceId) : undefined;
    return { status: 'found', page: { ...page, ...(space ? { spaceKey: space.key } : {}) } };
  };
  return operations.map((operation, i) => {
    const action = actions[i];
    if (action?.kind === 'space' && action.id) {
      if (!spaces.ok) return describe(operation, { status: 'failed', reason: spaces.reason });
      const wanted = action.id.toLowerCase();
      const space = spaces.value.find((s) => s.key.toLowerCase() === wanted || s.id === action.id);
      if (!space) return describe(operation, { status: 'failed', reason: 'not found' });
      const { id: _id, ...facts } = space;
      return describe(operation, { status: 'found', space: facts });
    }
    const id = action?.kind === 'page' ? action.id : action?.pageId;
    return describe(operation, pageLookup(id) ?? { status: 'not_looked_up' });
  });
}

/** Looks pages up in batches, a few batches at once, recording each page's outcome in `into`. */
async function lookUpPages(
  host: ToolHost,
  ids: readonly string[],
  into: Map<string, Found<PageFacts & { spaceId?: string }>>,
): Promise<void> {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += PAGES_PER_CALL)
    batches.push(ids.slice(i, i + PAGES_PER_CALL));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const results = await runBatch(
        host,
        batch.map((id) => ['CONFLUENCE_GET_PAGE_BY_ID', { id }]),
      );
      batch.forEach((id, i) => {
        const result = results[i] ?? { ok: false, reason: 'lookup failed' };
        into.set(id, result.ok ? pageFacts(result.value, id) : result);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, batches.length) }, worker));
}

/** The spaces the person can see, with ids (a page names its space by id only). */
async function listSpaceRows(host: ToolHost): Promise<Found<SpaceRow[]>> {
  const [result] = await runBatch(host, [['CONFLUENCE_GET_SPACES', { limit: SPACES_LIMIT }]]);
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
async function runBatch(
  host: ToolHost,
  calls: Array<[slug: string, args: Record<string, unknown>]>,
): Promise<Array<Found<Record<string, unknown>>>> {
  const failedAll = (reason: string) => calls.map(() => ({ ok: false as const, reason }));
  const outcome = await host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', {
    tools: calls.map(([tool_slug, args]) => ({ tool_slug, arguments: args })),
    thought: 'Name the targets of changes the user is asked to approve',
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

/** A page's facts from its REST JSON, only if it is the page asked for (never a guess). */
function pageFacts(
  data: Record<string, unknown>,
  id: string,
): Found<PageFacts & { spaceId?: string }> {
  const [page] = findArray([data], (v) => String(v.id) === id && typeof v.title === 'string');
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
