/** A Confluence page a URL points to: the site's host and the page's numeric id. */
export interface PageRef {
  /** The link exactly as Slack gave it: the key of its unfurl. */
  url: string;
  /** Lower-case host, e.g. `acme.atlassian.net`. */
  host: string;
  pageId: string;
}

// Confluence Cloud page URLs: /wiki/spaces/KEY/pages/123/Title (the slug is optional), the same
// under /pages/edit-v2/ for an editor link, and the legacy /wiki/pages/viewpage.action?pageId=123.
// Blog posts, tiny links (/wiki/x/…) and anything else are not pages we can look up by id.
const PAGE_PATH = /^\/wiki\/spaces\/[^/]+\/pages\/(?:edit-v2\/)?(\d{1,20})(?:\/|$)/;
const VIEWPAGE_PATH = /^\/wiki\/pages\/viewpage\.action$/;

/** True when `host` is one of `domains` or a subdomain of one. */
export function isConfluenceHost(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => h === d || h.endsWith(`.${d}`));
}

/**
 * The page a URL points to, when it is an https URL on one of `domains` with a page path;
 * undefined for anything else (malformed, another site, a space or blog link).
 */
export function pageRefOf(url: string, domains: readonly string[]): PageRef | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || !isConfluenceHost(parsed.hostname, domains)) return undefined;
  const host = parsed.hostname.toLowerCase();
  const match = PAGE_PATH.exec(parsed.pathname);
  if (match?.[1]) return { url, host, pageId: match[1] };
  if (VIEWPAGE_PATH.test(parsed.pathname)) {
    const id = parsed.searchParams.get('pageId');
    if (id && /^\d{1,20}$/.test(id)) return { url, host, pageId: id };
  }
  return undefined;
}
