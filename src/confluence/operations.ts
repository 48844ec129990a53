import type { PendingApproval } from '../agent/agent-config.js';

/** What a destructive Confluence operation acts on, as named in the approval prompt. */
export type TargetKind =
  | 'page'
  | 'blog post'
  | 'space'
  | 'label'
  | 'property'
  | 'comment'
  | 'attachment'
  | 'version'
  /** The person's own connection to a toolkit (COMPOSIO_MANAGE_CONNECTIONS with `remove`). */
  | 'connection';

/** A page as its lookup found it: enough to tell it apart at a glance. */
export interface PageFacts {
  title: string;
  spaceKey?: string;
  version?: number;
  /** When the page was last edited (ISO 8601). */
  editedAt?: string;
  url?: string;
}

/** A space as its lookup found it. */
export interface SpaceFacts {
  key: string;
  name: string;
  url?: string;
}

/** How the lookup of an operation's target went. */
export type TargetLookup =
  | { status: 'found'; page?: PageFacts; space?: SpaceFacts }
  /** Looked up and not found, or the lookup failed: the prompt says so and shows the id. */
  | { status: 'failed'; reason: string }
  /** Not looked up (a kind we have no lookup for, or past the bound): only the id is shown. */
  | { status: 'not_looked_up' };

/**
 * One operation a pending call would run, described for the person asked to approve it. Kept in
 * the turn's record, so that the prompt can be drawn again after the click without new lookups.
 */
export interface DescribedOperation {
  /** The exact tool slug, as the model asked for it. */
  slug: string;
  /** The exact arguments as JSON (cut at {@link ARGS_KEPT_MAX} characters). */
  args: string;
  /** What the operation does to what; absent when the slug says nothing we can read. */
  action?: {
    /** "Delete", "Remove"…: the slug's verb. */
    verb: string;
    kind: TargetKind;
    /** The target's id or key, as the arguments give it. */
    id?: string;
    /** A label's name or a property's key. */
    name?: string;
    /** The page a label, property, comment or attachment is on, when the arguments say. */
    pageId?: string;
  };
  lookup: TargetLookup;
}

/** An operation of a pending call: its slug and raw arguments. */
export interface RawOperation {
  slug: string;
  args: unknown;
}

/** Arguments kept per described operation: ids and names fit many times over; a body does not. */
export const ARGS_KEPT_MAX = 1_000;

const MULTI_EXECUTE = 'COMPOSIO_MULTI_EXECUTE_TOOL';
const MANAGE_CONNECTIONS = 'COMPOSIO_MANAGE_CONNECTIONS';
// Slug nouns, most specific first: CONFLUENCE_DELETE_PAGE_PROPERTY is about a property.
const NOUNS: Array<[RegExp, TargetKind]> = [
  [/(^|_)LABELS?(_|$)/, 'label'],
  [/(^|_)PROPERT(Y|IES)(_|$)/, 'property'],
  [/(^|_)COMMENTS?(_|$)/, 'comment'],
  [/(^|_)ATTACHMENTS?(_|$)/, 'attachment'],
  [/(^|_)VERSIONS?(_|$)/, 'version'],
  [/(^|_)BLOG_?POSTS?(_|$)/, 'blog post'],
  [/(^|_)SPACES?(_|$)/, 'space'],
  [/(^|_)(PAGES?|CONTENT)(_|$)/, 'page'],
];
// Argument names that hold each kind's own id, in the order they are tried.
const OWN_ID: Record<TargetKind, string[]> = {
  page: ['id', 'pageId', 'page_id', 'contentId', 'content_id'],
  'blog post': ['id', 'blogPostId', 'blogpost_id', 'blog_post_id', 'postId'],
  space: ['spaceKey', 'space_key', 'key', 'spaceId', 'space_id', 'id'],
  label: ['labelId', 'label_id'],
  property: ['propertyId', 'property_id'],
  comment: ['commentId', 'comment_id', 'id'],
  attachment: ['attachmentId', 'attachment_id', 'id'],
  version: ['versionNumber', 'version_number', 'version'],
  connection: [],
};
// Where the page something is on is named: `id` too for labels, properties and versions (the
// content id is their path's first part), never for comments and attachments (their own id).
const PAGE_NAMED = ['pageId', 'page_id', 'contentId', 'content_id'];
const PAGE_OF: Partial<Record<TargetKind, string[]>> = {
  label: [...PAGE_NAMED, 'id'],
  property: [...PAGE_NAMED, 'id'],
  version: [...PAGE_NAMED, 'id'],
  comment: PAGE_NAMED,
  attachment: PAGE_NAMED,
};
const NAME_OF: Partial<Record<TargetKind, string[]>> = {
  label: ['name', 'label', 'labelName', 'label_name'],
  property: ['key', 'propertyKey', 'property_key'],
};

/**
 * The operations inside pending calls, in order: each item of a multi-execute batch, else the
 * call itself. An item whose shape is not the known one is kept whole, so the person sees it.
 */
export function operationsOf(approvals: readonly PendingApproval[]): RawOperation[] {
  return approvals.flatMap((approval): RawOperation[] => {
    const tools = (approval.input as { tools?: unknown } | null)?.tools;
    if (approval.toolName.toUpperCase() !== MULTI_EXECUTE || !Array.isArray(tools) || !tools.length)
      return [{ slug: approval.toolName, args: approval.input }];
    return tools.map((t: { tool_slug?: unknown; arguments?: unknown } | null) =>
      typeof t?.tool_slug === 'string' && t.tool_slug.trim()
        ? { slug: t.tool_slug, args: t.arguments }
        : { slug: 'unrecognised item', args: t },
    );
  });
}

/** Reads what an operation does to what from its slug and arguments; undefined if it cannot. */
export function actionOf(operation: RawOperation): DescribedOperation['action'] {
  const slug = operation.slug.toUpperCase();
  const args = (operation.args ?? {}) as Record<string, unknown>;
  if (slug === MANAGE_CONNECTIONS) {
    // Only a removal is destructive (tool-safety.ts): it names the toolkits it disconnects.
    const toolkits = Array.isArray(args.toolkits) ? args.toolkits : [];
    const names = toolkits.map((t) => (typeof t === 'string' ? t : String(t?.name ?? '')));
    return { verb: 'Remove', kind: 'connection', name: names.filter(Boolean).join(', ') };
  }
  const match = /^CONFLUENCE_([A-Z]+)_(.+)$/.exec(slug);
  const kind = match && NOUNS.find(([noun]) => noun.test(match[2]!))?.[1];
  if (!match || !kind) return undefined;
  const verb = match[1]!.charAt(0) + match[1]!.slice(1).toLowerCase();
  const id = firstString(args, OWN_ID[kind]);
  const pageKeys = PAGE_OF[kind];
  const pageId = pageKeys && firstString(args, pageKeys);
  const name = NAME_OF[kind] && firstString(args, NAME_OF[kind]);
  return {
    verb,
    kind,
    ...(id !== undefined && id !== pageId ? { id } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(pageId !== undefined ? { pageId } : {}),
  };
}

/** Operations described without any lookup: what the arguments alone say. */
export function describeWithoutLookup(approvals: readonly PendingApproval[]): DescribedOperation[] {
  return operationsOf(approvals).map((op) => describe(op, { status: 'not_looked_up' }));
}

/** One operation with the outcome of its lookup. */
export function describe(operation: RawOperation, lookup: TargetLookup): DescribedOperation {
  const action = actionOf(operation);
  return {
    slug: operation.slug,
    args: clip(JSON.stringify(operation.args ?? {}) ?? '{}', ARGS_KEPT_MAX),
    ...(action ? { action } : {}),
    lookup,
  };
}

/** The first of `names` that holds a string or number in `args`, as a string. */
function firstString(args: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = args[name];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** The text cut to `max` characters, ending with "…" when cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
