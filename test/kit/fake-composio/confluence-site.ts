/** In-memory model of one Confluence Cloud site, with REST v2-shaped JSON views. */

/** A Confluence space. */
export interface ConfluenceSpace {
  id: string;
  key: string;
  name: string;
  type: 'global';
  status: 'current';
  private: boolean;
  description: string;
  homepageId: string;
  createdAt: string;
}

/** A page, blog post or comment (storage-format body, version counter, labels, properties). */
export interface ConfluenceContent {
  id: string;
  type: 'page' | 'blogpost' | 'comment';
  title: string;
  spaceId: string;
  parentId: string | null;
  status: 'current' | 'draft';
  body: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  labels: string[];
  properties: Array<{ id: string; key: string; value: unknown; version: number }>;
  /** Who made the current version (a Confluence user: account id and public name). */
  updatedBy?: ConfluenceUser;
  /** The current version's message ("What did you change?"), as the editor typed it. */
  versionMessage?: string;
  /** A comment's page or blog post (Confluence calls it the comment's container). */
  containerId?: string;
  /**
   * The page's own read restriction: only these accounts may view it. Undefined: none (the
   * space's permissions apply). Confluence answers 404 to anyone else.
   */
  readRestrictedTo?: ConfluenceUser[];
}

/** A Confluence user as content JSON names one. */
export interface ConfluenceUser {
  accountId: string;
  publicName: string;
}

/** A failed Confluence API call (status + error title, as in REST v2 error bodies). */
export class ConfluenceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
  ) {
    const reason: Record<number, string> = {
      400: 'Bad Request',
      404: 'Not Found',
      409: 'Conflict',
    };
    const body = JSON.stringify({ errors: [{ status, code, title, detail: null }] });
    super(`${status} ${reason[status] ?? 'Error'}: ${body}`);
  }
}

const slugify = (title: string): string => encodeURIComponent(title).replace(/%20/g, '+');

/** One user's Confluence site, seeded with the spaces MKT and ENG. */
export class ConfluenceSite {
  readonly baseUrl: string;
  readonly spaces: ConfluenceSpace[] = [];
  readonly pages: ConfluenceContent[] = [];
  readonly blogposts: ConfluenceContent[] = [];
  /** Footer comments on pages and blog posts, each with its own version counter. */
  readonly comments: ConfluenceContent[] = [];
  /** The site's own user: the connected account every tool call acts as. */
  readonly viewer: ConfluenceUser;
  private counter = 65536;

  constructor(userId: string) {
    const host = userId.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'site';
    this.baseUrl = `https://fake-${host}.atlassian.net/wiki`;
    this.viewer = { accountId: 'fake-account-id', publicName: `Fake ${userId}` };
    this.addSpace('MKT', 'Marketing', 'Campaigns, launches and brand guidelines.', false);
    this.addSpace('ENG', 'Engineering', 'Architecture, runbooks and team notes.', false);
  }

  /** Allocates the next numeric id (as a string, like Confluence). */
  newId(): string {
    this.counter += 1;
    return String(this.counter);
  }

  /** Creates a space with its "<name> Home" homepage. */
  addSpace(key: string, name: string, description: string, isPrivate: boolean): ConfluenceSpace {
    if (!/^[A-Za-z0-9]{1,255}$/.test(key)) {
      throw new ConfluenceError(400, 'INVALID_REQUEST_PARAMETER', `Invalid space key: ${key}`);
    }
    if (this.spaces.some((s) => s.key.toLowerCase() === key.toLowerCase())) {
      throw new ConfluenceError(400, 'BAD_REQUEST', `A space with key ${key} already exists`);
    }
    const now = new Date().toISOString();
    const space: ConfluenceSpace = {
      id: this.newId(),
      key: key.toUpperCase(),
      name,
      type: 'global',
      status: 'current',
      private: isPrivate,
      description,
      homepageId: '',
      createdAt: now,
    };
    this.spaces.push(space);
    space.homepageId = this.addContent('page', space, `${name} Home`, '', null).id;
    return space;
  }

  /** Adds a page or blog post (no uniqueness checks: callers do those). */
  addContent(
    type: 'page' | 'blogpost',
    space: ConfluenceSpace,
    title: string,
    body: string,
    parentId: string | null,
    status: 'current' | 'draft' = 'current',
  ): ConfluenceContent {
    const now = new Date().toISOString();
    const item: ConfluenceContent = {
      id: this.newId(),
      type,
      title,
      spaceId: space.id,
      parentId,
      status,
      body,
      version: 1,
      createdAt: now,
      updatedAt: now,
      labels: [],
      properties: [],
    };
    (type === 'page' ? this.pages : this.blogposts).push(item);
    return item;
  }

  /** Adds a footer comment to a page or blog post (version 1, by `by` or the site's user). */
  addComment(container: ConfluenceContent, body: string, by?: ConfluenceUser): ConfluenceContent {
    const now = new Date().toISOString();
    const comment: ConfluenceContent = {
      id: this.newId(),
      type: 'comment',
      title: `Re: ${container.title}`,
      spaceId: container.spaceId,
      parentId: null,
      status: 'current',
      body,
      version: 1,
      createdAt: now,
      updatedAt: now,
      labels: [],
      properties: [],
      containerId: container.id,
      ...(by ? { updatedBy: by } : {}),
    };
    this.comments.push(comment);
    return comment;
  }

  /**
   * Someone edits an item: a new version (number + 1, now, by `by`, with its message), as
   * Confluence records every save (REST v2 `version { number, createdAt, message, authorId }`).
   */
  editContent(
    item: ConfluenceContent,
    change: { body?: string; title?: string; message?: string; by?: ConfluenceUser },
  ): void {
    if (change.body !== undefined) item.body = change.body;
    if (change.title !== undefined) item.title = change.title;
    item.version += 1;
    item.updatedAt = new Date().toISOString();
    item.versionMessage = change.message ?? '';
    if (change.by) item.updatedBy = change.by;
  }

  /** Finds a space by numeric id or by key (case-insensitive); 404 otherwise. */
  space(idOrKey: unknown): ConfluenceSpace {
    const wanted = String(idOrKey ?? '');
    const found = this.spaces.find(
      (s) => s.id === wanted || s.key.toLowerCase() === wanted.toLowerCase(),
    );
    if (!found) throw new ConfluenceError(404, 'NOT_FOUND', `No space with id or key ${wanted}`);
    return found;
  }

  /** Finds a page (or, with `anyType`, a blog post) by id; 404 otherwise. */
  content(id: unknown, anyType = false): ConfluenceContent {
    const wanted = String(id ?? '');
    const pool = anyType ? [...this.pages, ...this.blogposts] : this.pages;
    const found = pool.find((p) => p.id === wanted);
    // A page the viewer may not read answers as one that does not exist: "404 Not Found …
    // or the calling user does not have permission to view" (Confluence REST v2, Get page by id).
    if (!found || !this.canRead(found))
      throw new ConfluenceError(404, 'NOT_FOUND', `Content with id ${wanted} not found`);
    return found;
  }

  /** Whether the site's user may view the item (its own read restriction, if any, names them). */
  canRead(item: ConfluenceContent): boolean {
    const allowed = item.readRestrictedTo;
    return !allowed || allowed.some((u) => u.accountId === this.viewer.accountId);
  }

  /** Rejects a title already used by another page of the same space. */
  assertUniqueTitle(spaceId: string, title: string, exceptId?: string): void {
    const clash = this.pages.find(
      (p) => p.spaceId === spaceId && p.title === title && p.id !== exceptId,
    );
    if (clash) {
      throw new ConfluenceError(
        400,
        'BAD_REQUEST',
        'A page with this title already exists: A page already exists with the same TITLE in this space',
      );
    }
  }

  /** REST v2 JSON for a space. */
  spaceJson(space: ConfluenceSpace): Record<string, unknown> {
    const { private: _private, description, ...rest } = space;
    return {
      ...rest,
      description: { plain: { value: description, representation: 'plain' } },
      _links: { webui: `/spaces/${space.key}`, base: this.baseUrl },
    };
  }

  /**
   * A content version: v2's `{ number, createdAt, message, minorEdit, authorId }`, plus `by`
   * and `when` as Composio's Confluence tools give them (`version.by { accountId, publicName,
   * type }`, `version.when`: the CONFLUENCE_UPDATE_BLOGPOST output schema of @composio's
   * generated Confluence types).
   */
  versionJson(item: ConfluenceContent): Record<string, unknown> {
    const by = item.updatedBy ?? this.viewer;
    return {
      number: item.version,
      createdAt: item.updatedAt,
      when: item.updatedAt,
      message: item.versionMessage ?? '',
      minorEdit: false,
      authorId: by.accountId,
      by: { accountId: by.accountId, publicName: by.publicName, type: 'known' },
    };
  }

  /**
   * The restrictions of an item keyed by operation, as Confluence's "Get restrictions by
   * operation" gives them (`{ read: { operation, restrictions: { user, group } }, update: … }`)
   * and CONFLUENCE_GET_CONTENT_RESTRICTIONS returns them under `restrictions`.
   */
  restrictionsJson(item: ConfluenceContent): Record<string, unknown> {
    const users = (list: ConfluenceUser[]) => ({
      results: list.map((u) => ({
        type: 'known',
        accountId: u.accountId,
        publicName: u.publicName,
      })),
      start: 0,
      limit: 100,
      size: list.length,
    });
    const none = { results: [], start: 0, limit: 100, size: 0 };
    const operation = (name: string, list: ConfluenceUser[]) => ({
      operation: name,
      restrictions: { user: users(list), group: none },
      _links: {
        self: `${this.baseUrl}/rest/api/content/${item.id}/restriction/byOperation/${name}`,
      },
    });
    return {
      restrictions: {
        read: operation('read', item.readRestrictedTo ?? []),
        update: operation('update', []),
      },
      _links: { base: this.baseUrl },
    };
  }

  /** REST v2 JSON for a page or blog post (with the storage body when `withBody`). */
  contentJson(item: ConfluenceContent, withBody = true): Record<string, unknown> {
    const space = this.space(item.spaceId);
    if (item.type === 'comment') return this.commentJson(item, withBody);
    const day = item.createdAt.slice(0, 10).replace(/-/g, '/');
    const webui =
      item.type === 'page'
        ? `/spaces/${space.key}/pages/${item.id}/${slugify(item.title)}`
        : `/spaces/${space.key}/blog/${day}/${item.id}/${slugify(item.title)}`;
    return {
      id: item.id,
      type: item.type,
      status: item.status,
      title: item.title,
      spaceId: item.spaceId,
      ...(item.type === 'page'
        ? { parentId: item.parentId, parentType: item.parentId && 'page' }
        : {}),
      authorId: this.viewer.accountId,
      createdAt: item.createdAt,
      version: this.versionJson(item),
      ...(withBody ? { body: { storage: { representation: 'storage', value: item.body } } } : {}),
      _links: { webui, editui: `/pages/resumedraft.action?draftId=${item.id}`, base: this.baseUrl },
    };
  }

  /**
   * JSON for a footer comment as Confluence's content search returns one: type `comment`, its
   * page under `container`, a link to the page focused on the comment
   * (`…/pages/<id>/<title>?focusedCommentId=<comment id>`, REST v1 content `_links.webui`).
   */
  private commentJson(item: ConfluenceContent, withBody: boolean): Record<string, unknown> {
    const container = [...this.pages, ...this.blogposts].find((p) => p.id === item.containerId);
    const containerLinks = container
      ? (this.contentJson(container, false)._links as { webui: string })
      : { webui: '' };
    return {
      id: item.id,
      type: 'comment',
      status: item.status,
      title: item.title,
      spaceId: item.spaceId,
      container: container
        ? { id: container.id, type: container.type, title: container.title }
        : null,
      authorId: (item.updatedBy ?? this.viewer).accountId,
      createdAt: item.createdAt,
      version: this.versionJson(item),
      ...(withBody ? { body: { storage: { representation: 'storage', value: item.body } } } : {}),
      _links: {
        webui: `${containerLinks.webui}?focusedCommentId=${item.id}`,
        base: this.baseUrl,
      },
    };
  }
}
