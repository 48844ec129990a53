/** A channel's subscription to a Confluence space, and the changes it delivers: plain data. */

/** What a subscription follows: CQL content types (developer.atlassian.com CQL field `type`). */
export type ContentKind = 'page' | 'blogpost' | 'comment';

/** Every kind, in the order they are named. */
export const ALL_KINDS: readonly ContentKind[] = ['page', 'blogpost', 'comment'];

/** The word after `subscribe SPACE` → kinds; `pages` when none is given. */
export const KIND_WORDS: Readonly<Record<string, readonly ContentKind[]>> = {
  pages: ['page'],
  blogposts: ['blogpost'],
  comments: ['comment'],
  all: ALL_KINDS,
};

/** One channel following one space, seen with its owner's Confluence access. */
export interface Subscription {
  id: string;
  teamId: string;
  channel: string;
  spaceKey: string;
  spaceName: string;
  kinds: ContentKind[];
  /** The Slack user who subscribed: the subscription reads with their connection. */
  ownerUserId: string;
  ownerComposioUserId: string;
  /** Epoch ms: changes older than this predate the subscription and are not posted. */
  createdAt: number;
}

/** A subscription's poll state, written by its poller only. */
export interface SubscriptionState {
  /** Epoch ms of the newest change delivered (Confluence's clock): the high-water mark. */
  highWater: number;
  /** Epoch ms of the last message posted for it. */
  lastDeliveryAt?: number;
  /** Set while the owner's access fails: since when, and why (a short, safe reason). */
  paused?: { since: number; reason: string };
  /** Set while polls fail for other reasons (Confluence or Composio down). */
  failing?: { since: number; count: number; retryAt: number };
}

/** One change to post: a content item at one version. */
export interface Change {
  /**
   * The Confluence site's host (content ids are unique within one site only; owners may read
   * different sites): part of the seen-set's key.
   */
  site: string;
  contentId: string;
  version: number;
  type: ContentKind;
  title: string;
  url?: string;
  spaceKey: string;
  author?: string;
  /** Epoch ms of this version (Confluence's clock). */
  when: number;
  /** The first words of the content, plain text (may be empty). */
  excerpt: string;
  /** The version's message, for an update ("What did you change?"). */
  versionMessage?: string;
}

/** What a change is to the channel: a new page (or post), an update, or a comment. */
export type ChangeKind = 'new' | 'updated' | 'comment';

/** Whether a change is new content, an update or a comment. */
export function changeKindOf(change: Change): ChangeKind {
  if (change.type === 'comment') return 'comment';
  return change.version <= 1 ? 'new' : 'updated';
}

/** The seen-set's member for a change: site, content id and version. */
export const changeKey = (c: Pick<Change, 'site' | 'contentId' | 'version'>) =>
  `${c.site}:${c.contentId}:${c.version}`;

/**
 * A subscription's id: the channel and the space (one subscription per space in a channel).
 * Letters, digits and dashes only, as BullMQ job scheduler ids take them.
 */
export function subscriptionIdOf(teamId: string, channel: string, spaceKey: string): string {
  return ['sub', teamId, channel, spaceKey.toUpperCase()]
    .map((part) => part.replace(/[^A-Za-z0-9]/g, ''))
    .join('-');
}

/** Kinds as people read them: "new and updated pages", "pages, blog posts and comments". */
export function describeKinds(kinds: readonly ContentKind[]): string {
  const names = kinds.map((k) =>
    k === 'page' ? 'pages' : k === 'blogpost' ? 'blog posts' : 'comments',
  );
  if (names.length === 1 && kinds[0] !== 'comment') return `new and updated ${names[0]}`;
  if (names.length === 1) return 'comments';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
