/** In-memory Confluence behind the fake Composio: one independent site per Composio user id. */
import { readTools } from './confluence-read-tools.js';
import {
  type ConfluenceContent,
  ConfluenceError,
  ConfluenceSite,
  type ConfluenceSpace,
  type ConfluenceUser,
} from './confluence-site.js';
import { type ConfluenceTool, jsonSchemaOf } from './confluence-tool.js';
import { writeTools } from './confluence-write-tools.js';

/** Site record types, re-exported for tests. */
export type { ConfluenceContent, ConfluenceSpace, ConfluenceUser } from './confluence-site.js';

/** A tool result as Composio reports it. */
export interface ToolResult {
  data: Record<string, unknown>;
  error: string | null;
  successful: boolean;
}

/** A read-only snapshot of one user's site. */
export interface SiteView {
  readonly baseUrl: string;
  readonly spaces: readonly Readonly<ConfluenceSpace>[];
  readonly pages: readonly Readonly<ConfluenceContent>[];
  readonly blogposts: readonly Readonly<ConfluenceContent>[];
  /** The site's own user, whom every tool call acts as. */
  readonly viewer: Readonly<ConfluenceUser>;
}

/** One executed tool call, in order. */
export interface ConfluenceCall {
  userId: string;
  slug: string;
  args: unknown;
  successful: boolean;
  error: string | null;
}

/** Public facts about a tool, for search results and schemas. */
export interface ConfluenceToolInfo {
  slug: string;
  description: string;
  write: boolean;
  inputSchema: Record<string, unknown>;
}

const TOOLS = new Map<string, ConfluenceTool>(
  [...readTools, ...writeTools].map((tool) => [tool.slug, tool]),
);

/** Confluence emulator: executes CONFLUENCE_* tools against per-user in-memory sites. */
export class ConfluenceEmulator {
  /** Every executed call (also unknown slugs and failures), oldest first. */
  readonly calls: ConfluenceCall[] = [];
  private readonly sites = new Map<string, ConfluenceSite>();
  /** Per user: how many more tool runs fail as if their site were down. */
  private readonly outages = new Map<string, number>();

  /**
   * Test set-up: the user's site is down for their next `calls` tool runs, each answering
   * 503 Service Unavailable as Atlassian's edge does during an outage (REST error body).
   */
  outage(userId: string, calls: number): void {
    this.outages.set(userId, calls);
  }

  /** Descriptions and JSON input schemas of all emulated tools. */
  tools(): ConfluenceToolInfo[] {
    return [...TOOLS.values()].map((tool) => this.toolInfo(tool.slug)!);
  }

  /** Facts about one tool, or undefined for an unknown slug. */
  toolInfo(slug: string): ConfluenceToolInfo | undefined {
    const tool = TOOLS.get(slug);
    if (!tool) return undefined;
    const { description, write } = tool;
    return { slug, description, write, inputSchema: jsonSchemaOf(tool) };
  }

  /** A deep, frozen copy of the user's site (created and seeded on first use). */
  site(userId: string): SiteView {
    const site = this.siteOf(userId);
    const { baseUrl, spaces, pages, blogposts, viewer } = site;
    return deepFreeze(structuredClone({ baseUrl, spaces, pages, blogposts, viewer }));
  }

  /**
   * Test set-up: what someone else did to a page of the user's site, which no tool of theirs
   * can do — edited it (`updatedBy`), or restricted who may read it (`readRestrictedTo`).
   */
  changePage(
    userId: string,
    pageId: string,
    change: Partial<
      Pick<ConfluenceContent, 'updatedBy' | 'readRestrictedTo' | 'createdAt' | 'updatedAt'>
    >,
  ): void {
    const page = this.siteOf(userId).pages.find((p) => p.id === pageId);
    if (!page) throw new Error(`no page ${pageId} on the site of ${userId}`);
    Object.assign(page, change);
  }

  /**
   * Test set-up: someone else writes in the user's site, as they would in Confluence's editor —
   * a new page or blog post in a space (by its key), a new version of a page, blog post or
   * comment, or a footer comment on a page. Returns the item's id.
   */
  addContent(
    userId: string,
    spaceKey: string,
    change: {
      type?: 'page' | 'blogpost';
      title: string;
      body?: string;
      by?: ConfluenceUser;
      /** When it was written, if not now (content saved while a subscription was paused). */
      at?: Date;
    },
  ): string {
    const site = this.siteOf(userId);
    const item = site.addContent(
      change.type ?? 'page',
      site.space(spaceKey),
      change.title,
      change.body ?? '',
      null,
    );
    if (change.by) item.updatedBy = change.by;
    if (change.at) item.createdAt = item.updatedAt = change.at.toISOString();
    return item.id;
  }

  /** Test set-up: a new version of a page, blog post or comment (see {@link addContent}). */
  editContent(
    userId: string,
    id: string,
    change: { body?: string; title?: string; message?: string; by?: ConfluenceUser },
  ): void {
    const site = this.siteOf(userId);
    const item = [...site.pages, ...site.blogposts, ...site.comments].find((i) => i.id === id);
    if (!item) throw new Error(`no content ${id} on the site of ${userId}`);
    site.editContent(item, change);
  }

  /** Test set-up: a footer comment on a page or blog post (see {@link addContent}). */
  addComment(userId: string, containerId: string, body: string, by?: ConfluenceUser): string {
    const site = this.siteOf(userId);
    const container = [...site.pages, ...site.blogposts].find((i) => i.id === containerId);
    if (!container) throw new Error(`no page ${containerId} on the site of ${userId}`);
    return site.addComment(container, body, by).id;
  }

  /** Runs one tool for a user: validates arguments, then applies it to the user's site. */
  execute(userId: string, slug: string, args: unknown): ToolResult {
    const result = this.run(userId, slug, args ?? {});
    this.calls.push({ userId, slug, args, successful: result.successful, error: result.error });
    return result;
  }

  /** How many times write tools ran (optionally one slug / one user), failed attempts included. */
  writeCount(slug?: string, userId?: string): number {
    return this.calls.filter(
      (c) =>
        TOOLS.get(c.slug)?.write === true &&
        (slug === undefined || c.slug === slug) &&
        (userId === undefined || c.userId === userId),
    ).length;
  }

  private siteOf(userId: string): ConfluenceSite {
    let site = this.sites.get(userId);
    if (!site) {
      site = new ConfluenceSite(userId);
      this.sites.set(userId, site);
    }
    return site;
  }

  private run(userId: string, slug: string, args: unknown): ToolResult {
    const tool = TOOLS.get(slug);
    if (!tool) return fail(`Tool ${slug} not found`, {});
    const down = this.outages.get(userId) ?? 0;
    if (down > 0) {
      this.outages.set(userId, down - 1);
      const err = new ConfluenceError(503, 'SERVICE_UNAVAILABLE', 'Service Unavailable');
      return fail(err.message, { status_code: 503, message: err.title });
    }
    const parsed = tool.input.safeParse(args);
    if (!parsed.success) {
      const lines = parsed.error.issues.map(
        (i) => `- ${i.path.join('.') || 'arguments'}: ${i.message}`,
      );
      return fail(`Invalid request data provided\n${lines.join('\n')}`, {});
    }
    try {
      return { data: tool.run(this.siteOf(userId), parsed.data), error: null, successful: true };
    } catch (err) {
      if (!(err instanceof ConfluenceError)) throw err;
      return fail(err.message, { status_code: err.status, message: err.title });
    }
  }
}

function fail(error: string, data: Record<string, unknown>): ToolResult {
  return { data, error, successful: false };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
