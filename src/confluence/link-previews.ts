import { stripConnectLinks } from '../agent/connection-links.js';
import type { SessionProvider } from '../composio/composio-sessions.js';
import { bestEffort, type Logger } from '../logger.js';
import { type Keys, TTL } from '../store/keys.js';
import type { KeyValueStore } from '../store/kv.js';
import { type PagePreview, readPagePreviews } from './page-preview.js';
import type { PageRef } from './page-url.js';

/** Link previews of Confluence pages, each read with the poster's own connection. */
export interface LinkPreviews {
  /**
   * The previews of `refs` as this Composio user may see them, by URL: a page they cannot
   * read is missing. Served from a short cache keyed by user and page where it can be; the
   * rest is looked up in one batched call. Never throws: a failed lookup gives no previews.
   */
  previews(composioUserId: string, refs: readonly PageRef[]): Promise<Map<string, PagePreview>>;
}

/** Creates the previews over the per-user sessions, caching in `kv` (Redis or in-process). */
export function createLinkPreviews(deps: {
  sessions: SessionProvider;
  kv: KeyValueStore;
  keys: Keys;
  /** False: no excerpt is read or shown, for any page (the operator's LINK_PREVIEW_EXCERPTS). */
  excerpts: boolean;
  logger: Logger;
}): LinkPreviews {
  const { kv, keys, logger } = deps;
  const keyOf = (user: string, ref: PageRef) => keys.linkPreview(user, ref.host, ref.pageId);

  async function cached(user: string, ref: PageRef): Promise<PagePreview | undefined> {
    try {
      const raw = await kv.get(keyOf(user, ref));
      return raw ? (JSON.parse(raw) as PagePreview) : undefined;
    } catch (err) {
      // A cache that cannot answer only costs a lookup.
      logger.warn({ err: { message: (err as Error).message } }, 'link preview cache unreadable');
      return undefined;
    }
  }

  return {
    async previews(composioUserId, refs) {
      const byUrl = new Map<string, PagePreview>();
      const missing: PageRef[] = [];
      for (const ref of refs) {
        const hit = await cached(composioUserId, ref);
        if (hit) byUrl.set(ref.url, hit);
        else missing.push(ref);
      }
      if (!missing.length) return byUrl;
      let found: Map<string, PagePreview>;
      try {
        const { host } = await deps.sessions.forUser(composioUserId);
        found = await readPagePreviews(host, missing, { excerpts: deps.excerpts, logger });
      } catch (err) {
        const message = stripConnectLinks(String((err as Error)?.message).slice(0, 300));
        logger.warn({ err: { message } }, 'link preview lookups failed');
        return byUrl;
      }
      for (const ref of missing) {
        const preview = found.get(ref.pageId);
        // The page must be on the link's own site: the same id on the poster's site is another page.
        if (!preview || new URL(preview.url).hostname.toLowerCase() !== ref.host) continue;
        byUrl.set(ref.url, preview);
        await bestEffort(
          logger,
          'cache a link preview',
          'the preview is shown anyway; the next post of the link is looked up again',
          kv.set(keyOf(composioUserId, ref), JSON.stringify(preview), TTL.linkPreview),
        );
      }
      return byUrl;
    },
  };
}
