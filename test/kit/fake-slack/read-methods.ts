import { type ApiContext, type ApiHandler, fail, ok, str } from './api.js';
import { knownChannel, threadRoot } from './chat-methods.js';
import type { Args, PostedMessage } from './types.js';

/** The opaque cursor Slack would hand out for a page starting at this ts. */
export function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

function decodeCursor(cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const match = /^next_ts:(\d+\.\d+)$/.exec(decoded);
  return match?.[1];
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** One page of messages (in page order), honouring oldest/latest/inclusive, limit and cursor. */
function page(
  list: PostedMessage[],
  args: Args,
  ctx: ApiContext,
  opts: { defaultLimit: number; ascending: boolean },
): Args {
  const { ascending } = opts;
  const inclusive = isTrue(args.inclusive);
  const oldest = str(args.oldest);
  const latest = str(args.latest);
  let items = list.filter(
    (m) =>
      (oldest === undefined || m.ts > oldest || (inclusive && m.ts === oldest)) &&
      (latest === undefined || m.ts < latest || (inclusive && m.ts === latest)),
  );
  const cursor = str(args.cursor);
  if (cursor !== undefined) {
    const from = decodeCursor(cursor);
    if (from === undefined) return fail('invalid_cursor');
    items = items.filter((m) => (ascending ? m.ts >= from : m.ts <= from));
  }
  const asked = Number(args.limit);
  const limit = Number.isFinite(asked) && asked > 0 ? Math.min(asked, 1000) : opts.defaultLimit;
  const next = items[limit];
  return ok({
    messages: items
      .slice(0, limit)
      .map((m) => ctx.store.render(m, { metadata: isTrue(args.include_all_metadata) })),
    has_more: next !== undefined,
    response_metadata: { next_cursor: next ? encodeCursor(next.ts) : '' },
  });
}

const replies: ApiHandler = (args, ctx) => {
  const channel = knownChannel(ctx, args.channel);
  if (channel === undefined) return fail('channel_not_found');
  const root = threadRoot(ctx, channel, args.ts);
  if (root === undefined) return fail('invalid_arguments');
  const thread = ctx.store.thread(channel, root);
  if (thread.length === 0) return fail('thread_not_found');
  return page(thread, args, ctx, { defaultLimit: 1000, ascending: true });
};

const history: ApiHandler = (args, ctx) => {
  const channel = knownChannel(ctx, args.channel);
  if (channel === undefined) return fail('channel_not_found');
  const topLevel = ctx.store
    .inChannel(channel)
    .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
    .reverse();
  return page(topLevel, args, ctx, { defaultLimit: 100, ascending: false });
};

const info: ApiHandler = (args, ctx) => {
  const id = str(args.channel);
  const channel = id === undefined ? undefined : ctx.store.channel(id);
  if (!channel) return fail('channel_not_found');
  const isIm = channel.is_im === true;
  return ok({
    channel: {
      id: channel.id,
      ...(isIm ? { user: channel.user } : { name: channel.name ?? channel.id.toLowerCase() }),
      is_channel: !isIm && !channel.is_private,
      is_group: channel.is_private === true,
      is_im: isIm,
      is_mpim: false,
      is_private: channel.is_private === true || isIm,
      is_member: true,
      is_archived: false,
      created: 1_700_000_000,
      context_team_id: ctx.identity.teamId,
    },
  });
};

/** conversations.open for one user: the app's DM with them (D + the user id's tail). */
const open: ApiHandler = (args, ctx) => {
  const users = str(args.users)?.split(',') ?? [];
  const user = users[0];
  if (users.length !== 1 || user === undefined) return fail('not_enough_users');
  if (!ctx.store.users.has(user) && !/^[UW][A-Z0-9]+$/.test(user)) return fail('user_not_found');
  const id = `D${user.slice(1)}`;
  if (!ctx.store.channels.has(id)) ctx.store.channels.set(id, { id, is_im: true, user });
  return ok({ channel: { id } });
};

const usersInfo: ApiHandler = (args, ctx) => {
  const id = str(args.user);
  const user = id === undefined ? undefined : ctx.store.users.get(id);
  if (!user) return fail('user_not_found');
  const name = user.name ?? user.id.toLowerCase();
  const realName = user.real_name ?? name;
  const profile: Args = {
    real_name: realName,
    real_name_normalized: realName,
    display_name: user.display_name ?? '',
    display_name_normalized: user.display_name ?? '',
    team: user.team_id ?? ctx.identity.teamId,
    ...(user.email !== undefined && { email: user.email }),
    ...(user.bot_id !== undefined && { bot_id: user.bot_id }),
  };
  return ok({
    user: {
      id: user.id,
      team_id: user.team_id ?? ctx.identity.teamId,
      name,
      real_name: realName,
      deleted: user.deleted === true,
      is_bot: user.is_bot === true,
      is_app_user: false,
      tz: 'Europe/London',
      tz_offset: 0,
      profile,
    },
  });
};

const authTest: ApiHandler = (_args, ctx) =>
  ok({
    url: 'https://fake-workspace.slack.com/',
    team: 'Fake Workspace',
    user: 'fakebot',
    team_id: ctx.identity.teamId,
    user_id: ctx.identity.botUserId,
    bot_id: ctx.identity.botId,
    is_enterprise_install: false,
  });

const connectionsOpen: ApiHandler = (_args, ctx) =>
  ok({ url: ctx.socketModeUrl ?? `${ctx.origin.replace(/^http/, 'ws')}/socket-mode` });

/** auth.test, conversations.replies/history/info/open, users.info, apps.connections.open (stub). */
export const readMethods: Record<string, ApiHandler> = {
  'auth.test': authTest,
  'conversations.replies': replies,
  'conversations.history': history,
  'conversations.info': info,
  'conversations.open': open,
  'users.info': usersInfo,
  'apps.connections.open': connectionsOpen,
};
