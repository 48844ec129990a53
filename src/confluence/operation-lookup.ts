import type { PendingApproval } from '../agent/agent-config.js';
import type { ToolHost } from '../agent/types.js';
import type { Logger } from '../logger.js';
import {
  actionOf,
  type DescribedOperation,
  describe,
  operationsOf,
  type PageFacts,
  type TargetLookup,
} from './operations.js';
import { type Found, listSpaceRows, pageFacts, runBatch, type SpaceRow } from './page-reads.js';

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
/** What the model is told the lookups are for (COMPOSIO_MULTI_EXECUTE_TOOL's `thought`). */
const THOUGHT = 'Name the targets of changes the user is asked to approve';

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
    needSpaces ? listSpaceRows(host, THOUGHT).then((s) => (spaces = s)) : undefined,
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
        THOUGHT,
      );
      batch.forEach((id, i) => {
        const result = results[i] ?? { ok: false, reason: 'lookup failed' };
        into.set(id, result.ok ? pageFacts(result.value, id) : result);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, batches.length) }, worker));
}
