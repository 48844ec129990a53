import type { ToolHost } from '../agent/types.js';
import type { Logger } from '../logger.js';
import {
  type Found,
  listSpaceRows,
  pageFacts,
  pageJson,
  runBatch,
  type SpaceRow,
} from './page-reads.js';
import type { PageRef } from './page-url.js';

/** What a link preview shows of a page; everything but the title is optional. */
export interface PagePreview {
  title: string;
  url: string;
  spaceKey?: string;
  spaceName?: string;
  /** When the page was last edited (ISO 8601). */
  editedAt?: string;
  /** The public name of who last edited it, when the tool's result names them. */
  editedBy?: string;
  /** A short plain-text start of the page; absent for restricted pages and with excerpts off. */
  excerpt?: string;
  /** The page has read restrictions (or they could not be checked): only the title is shown. */
  restricted: boolean;
}

/** Longest excerpt kept: two or three lines of a preview. */
export const EXCERPT_MAX_CHARS = 280;
/** The previews wait this long for their lookups at most; what has not come back gets none. */
export const PREVIEW_TIMEOUT_MS = 8_000;
/** What the model-facing `thought` of the lookup call says it is for. */
const THOUGHT = 'Preview a Confluence link the user posted in Slack';

/**
 * Looks the pages of `refs` up with the poster's own Tool Router session: each page and its
 * restrictions in one batched call, the space names beside it, within a time bound. A page the
 * poster cannot read, on another site than the link's, or not back in time, is not in the
 * result. Never throws for a failed lookup (a broken session is the caller's to handle).
 */
export async function readPagePreviews(
  host: ToolHost,
  refs: readonly PageRef[],
  options: { excerpts: boolean; logger: Pick<Logger, 'warn'>; timeoutMs?: number },
): Promise<Map<string, PagePreview>> {
  const found = new Map<string, PagePreview>();
  const ids = [...new Set(refs.map((r) => r.pageId))];
  if (!ids.length) return found;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? PREVIEW_TIMEOUT_MS);
  });
  const calls = ids.flatMap(
    (id): Array<[string, Record<string, unknown>]> => [
      ['CONFLUENCE_GET_PAGE_BY_ID', { id }],
      ['CONFLUENCE_GET_CONTENT_RESTRICTIONS', { id }],
    ],
  );
  const work = Promise.all([runBatch(host, calls, THOUGHT), listSpaceRows(host, THOUGHT)]);
  const outcome = await Promise.race([work, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    options.logger.warn({ pages: ids.length }, 'link preview lookups timed out');
    return found;
  }
  const [results, spaces] = outcome;
  ids.forEach((id, i) => {
    const page = results[2 * i];
    if (!page?.ok) return;
    const preview = previewOf(page.value, id, results[2 * i + 1], spaces, options.excerpts);
    if (preview) found.set(id, preview);
  });
  return found;
}

/** A page's preview from its REST JSON and its restrictions; undefined if it is not the page. */
function previewOf(
  data: Record<string, unknown>,
  id: string,
  restrictions: Found<Record<string, unknown>> | undefined,
  spaces: Found<SpaceRow[]>,
  excerpts: boolean,
): PagePreview | undefined {
  const facts = pageFacts(data, id);
  if (!facts.ok || !facts.value.url) return undefined;
  const { title, url, spaceId, editedAt } = facts.value;
  const space = spaces.ok ? spaces.value.find((s) => s.id === spaceId) : undefined;
  const page = pageJson(data, id);
  const by = (page?.version as { by?: Record<string, unknown> } | undefined)?.by;
  const editedBy = by?.publicName ?? by?.displayName;
  // Fail safe: restrictions that could not be read count as restrictions.
  const restricted = !restrictions?.ok || hasReadRestrictions(restrictions.value) !== false;
  const excerpt = excerpts && !restricted ? excerptOf(page) : undefined;
  return {
    title,
    url,
    restricted,
    ...(space ? { spaceKey: space.key, spaceName: space.name } : {}),
    ...(!space && facts.value.spaceKey ? { spaceKey: facts.value.spaceKey } : {}),
    ...(editedAt ? { editedAt } : {}),
    ...(typeof editedBy === 'string' && editedBy ? { editedBy } : {}),
    ...(excerpt ? { excerpt } : {}),
  };
}

/**
 * Whether CONFLUENCE_GET_CONTENT_RESTRICTIONS' `data` (`{ restrictions: { read: { restrictions:
 * { user: { results }, group: { results } } }, update: … } }`, Confluence's "restrictions by
 * operation") names any user or group for `read`; undefined when the shape cannot be read.
 * Only the page's own restrictions are listed there: one inherited from an ancestor page is not.
 */
export function hasReadRestrictions(data: Record<string, unknown>): boolean | undefined {
  const byOperation = data.restrictions as Record<string, unknown> | undefined;
  if (!byOperation || typeof byOperation !== 'object') return undefined;
  const read = byOperation.read as { restrictions?: Record<string, unknown> } | undefined;
  if (read === undefined) return false;
  const holders = read?.restrictions;
  if (!holders || typeof holders !== 'object') return undefined;
  return ['user', 'group'].some((kind) => {
    const list = holders[kind] as { results?: unknown; size?: unknown } | undefined;
    const size = typeof list?.size === 'number' ? list.size : 0;
    return size > 0 || (Array.isArray(list?.results) && list.results.length > 0);
  });
}

/** The first words of a page's storage-format body as plain text, cut at a word. */
export function excerptOf(page: Record<string, unknown> | undefined): string | undefined {
  const body = page?.body as { storage?: { value?: unknown } } | undefined;
  const storage = body?.storage?.value;
  if (typeof storage !== 'string') return undefined;
  const text = storage
    .slice(0, 20 * EXCERPT_MAX_CHARS)
    .replace(/<(ac:structured-macro|style|script)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  if (text.length <= EXCERPT_MAX_CHARS) return text;
  const cut = text.slice(0, EXCERPT_MAX_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXCERPT_MAX_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
