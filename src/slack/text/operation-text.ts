import {
  clip,
  type DescribedOperation,
  type PageFacts,
  type TargetKind,
} from '../../confluence/operations.js';
import { escapeMrkdwn } from './command-parse.js';

// A tool slug is a few words; a longer one is cut, not the line around it.
const SLUG_MAX = 100;
// Enough of the arguments to see the target; the whole input would drown the question.
const ARGS_SHOWN_MAX = 300;

const PLURALS: Record<TargetKind, string> = {
  page: 'pages',
  'blog post': 'blog posts',
  space: 'spaces',
  label: 'labels',
  property: 'properties',
  comment: 'comments',
  attachment: 'attachments',
  version: 'versions',
  connection: 'connections',
};

/**
 * Slack's date formatting: shown in each reader's own time zone and words, with a plain fallback.
 * https://docs.slack.dev/messaging/formatting-message-text#date-formatting
 */
export function slackDate(at: Date, format: string): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^${format}|${fallback}>`;
}

/** The exact operation, as the model asked for it: slug and arguments, cut to fit a line. */
export function exactText(op: DescribedOperation): string {
  return `\`${clip(op.slug, SLUG_MAX)}\` \`${clip(op.args, ARGS_SHOWN_MAX)}\``;
}

/**
 * One operation in words, its target named as the lookup found it: "Delete page "Launch Plan"
 * in space MKT (version 7, last edited 2 days ago)", linked. A failed lookup says so and shows
 * the id; an operation we cannot read shows its slug and arguments.
 */
export function operationText(op: DescribedOperation): string {
  const { action, lookup } = op;
  if (!action) return exactText(op);
  const { verb, kind } = action;
  const name = action.name ? ` “${escapeMrkdwn(clip(action.name, 100))}”` : '';
  const page = pageText(op, action.kind === 'page' ? action.id : action.pageId);
  switch (kind) {
    case 'page':
      return action.id ? `${verb} page ${page}` : exactText(op);
    case 'space': {
      if (!action.id) return exactText(op);
      const everything = verb === 'Delete' ? ' and everything in it' : '';
      if (lookup.status !== 'found' || !lookup.space) return `${verb} space ${idText(op)}`;
      const { key, name: spaceName, url } = lookup.space;
      const named = `${linked(escapeMrkdwn(key), url)} (“${escapeMrkdwn(clip(spaceName, 100))}”)`;
      return `${verb} space ${named}${everything}`;
    }
    case 'label':
    case 'property':
      return `${verb} ${kind}${name}${action.pageId ? ` ${kind === 'label' ? 'from' : 'of'} page ${page}` : ''}`;
    case 'version':
      return `${verb} version${action.id ? ` ${escapeMrkdwn(action.id)}` : ''}${action.pageId ? ` of page ${page}` : ''}`;
    case 'connection':
      return `${verb} your ${escapeMrkdwn(action.name || 'Confluence')} connection (you would have to connect again)`;
    default: {
      // Comments, attachments, blog posts: no lookup of our own, so their id as given.
      const own = action.id ? ` \`${escapeMrkdwn(clip(action.id, 100))}\`` : '';
      if (!own && !action.pageId) return exactText(op);
      return `${verb} ${kind}${own}${action.pageId ? ` on page ${page}` : ''}`;
    }
  }
}

/** The page an operation names: linked title, space, version and last edit, or its id and why not. */
function pageText(op: DescribedOperation, id: string | undefined): string {
  const { lookup } = op;
  if (lookup.status === 'found' && lookup.page) return foundPage(lookup.page);
  return idText(op, id);
}

/** A target's id, and, when its lookup failed, that it did: the prompt never guesses. */
function idText(op: DescribedOperation, id = op.action?.id): string {
  const shown = `\`${escapeMrkdwn(clip(id ?? '?', 100))}\``;
  if (op.lookup.status !== 'failed') return `with id ${shown}`;
  return `with id ${shown} — _I couldn't look it up (${escapeMrkdwn(op.lookup.reason)}), so I can't say which one it is_`;
}

function foundPage(page: PageFacts): string {
  const title = linked(`“${escapeMrkdwn(clip(page.title, 200))}”`, page.url);
  const space = page.spaceKey ? ` in space ${escapeMrkdwn(page.spaceKey)}` : '';
  const facts = [
    page.version !== undefined ? `version ${page.version}` : '',
    page.editedAt ? `last edited ${slackDate(new Date(page.editedAt), '{ago}')}` : '',
  ].filter(Boolean);
  return `${title}${space}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

/** `text` linked to `url` when it is a plain https URL Slack's link syntax can carry. */
function linked(text: string, url: string | undefined): string {
  return url && /^https:\/\/[^\s|<>]+$/.test(url) ? `<${url}|${text}>` : text;
}

/** How many operations of each kind, in words: "Delete 50 pages", "2 × `CONFLUENCE_PURGE_X`". */
export function operationCounts(operations: readonly DescribedOperation[]): string[] {
  const counts = new Map<string, { n: number; op: DescribedOperation }>();
  for (const op of operations) {
    const key = op.action ? `${op.action.verb} ${op.action.kind}` : op.slug;
    const entry = counts.get(key) ?? { n: 0, op };
    entry.n += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].map(({ n, op }) => {
    if (!op.action) return `${n} × \`${clip(op.slug, SLUG_MAX)}\``;
    const { verb, kind } = op.action;
    return `${verb} ${n} ${n === 1 ? kind : PLURALS[kind]}`;
  });
}

/** How many operations' targets could not be looked up. */
export const failedLookups = (operations: readonly DescribedOperation[]) =>
  operations.filter((op) => op.action && op.lookup.status === 'failed').length;
