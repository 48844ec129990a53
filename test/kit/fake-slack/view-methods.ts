import {
  type ApiContext,
  type ApiHandler,
  blocksError,
  fail,
  ok,
  str,
  VIEW_MAX_BLOCKS,
} from './api.js';
import { knownChannel } from './chat-methods.js';
import type { Args } from './types.js';

/** Slack's error for a view payload, or undefined if it is a plausible modal/home view. */
function viewError(view: unknown, type?: 'home'): string | undefined {
  if (typeof view !== 'object' || view === null || Array.isArray(view)) return 'invalid_arguments';
  const v = view as Args;
  if (type === 'home' ? v.type !== 'home' : v.type !== 'modal') return 'invalid_arguments';
  if (v.type === 'modal' && (typeof v.title !== 'object' || v.title === null)) {
    return 'invalid_arguments';
  }
  // A modal's title and close button hold at most 24 characters (@slack/types ModalView).
  const over24 = (t: unknown) => String((t as Args | undefined)?.text ?? '').length > 24;
  if (v.type === 'modal' && (over24(v.title) || over24(v.close))) return 'invalid_arguments';
  return blocksError(v.blocks ?? [], VIEW_MAX_BLOCKS);
}

function storeView(
  ctx: ApiContext,
  view: Args,
  id: string,
  rootId: string,
  previous?: string,
): Args {
  const stored: Args = {
    id,
    team_id: ctx.identity.teamId,
    private_metadata: '',
    callback_id: '',
    external_id: '',
    ...view,
    state: { values: {} },
    hash: `${Date.now()}.${ctx.store.nextId('h')}`,
    root_view_id: rootId,
    previous_view_id: previous ?? null,
    app_id: 'A0FAKEAPP',
    bot_id: ctx.identity.botId,
  };
  ctx.store.views.set(id, stored);
  return ok({ view: stored });
}

const open: ApiHandler = (args, ctx) => {
  if (str(args.trigger_id) === undefined) return fail('invalid_arguments');
  const error = viewError(args.view);
  if (error) return fail(error);
  const id = ctx.store.nextId('V');
  return storeView(ctx, args.view, id, id);
};

const update: ApiHandler = (args, ctx) => {
  const viewId = str(args.view_id);
  const externalId = str(args.external_id);
  const current = viewId
    ? ctx.store.views.get(viewId)
    : [...ctx.store.views.values()].find((v) => externalId && v.external_id === externalId);
  if (!current) return fail('not_found');
  if (str(args.hash) !== undefined && args.hash !== current.hash) return fail('hash_conflict');
  const error = viewError(args.view);
  if (error) return fail(error);
  return storeView(ctx, args.view, current.id, current.root_view_id, current.previous_view_id);
};

const publish: ApiHandler = (args, ctx) => {
  const user = str(args.user_id);
  if (user === undefined) return fail('invalid_arguments');
  if (!ctx.store.users.has(user) && !/^[UW][A-Z0-9]+$/.test(user)) return fail('user_not_found');
  const error = viewError(args.view, 'home');
  if (error) return fail(error);
  const key = `home:${user}`;
  const id = (ctx.store.views.get(key)?.id as string | undefined) ?? ctx.store.nextId('V');
  const result = storeView(ctx, args.view, id, id);
  ctx.store.views.set(key, result.view);
  return result;
};

function reactionTarget(args: Args, ctx: ApiContext): { key: string; name: string } | string {
  const channel = knownChannel(ctx, args.channel);
  if (channel === undefined) return 'channel_not_found';
  const ts = str(args.timestamp);
  if (ts === undefined) return 'no_item_specified';
  const name = str(args.name)?.replace(/^:|:$/g, '');
  if (name === undefined) return 'invalid_name';
  return { key: `${channel}/${ts}`, name };
}

const reactionsAdd: ApiHandler = (args, ctx) => {
  const target = reactionTarget(args, ctx);
  if (typeof target === 'string') return fail(target);
  const list = ctx.store.reactionsByMessage.get(target.key) ?? [];
  const user = ctx.identity.botUserId;
  if (list.some((r) => r.name === target.name && r.user === user)) return fail('already_reacted');
  ctx.store.reactionsByMessage.set(target.key, [...list, { name: target.name, user }]);
  return ok();
};

const reactionsRemove: ApiHandler = (args, ctx) => {
  const target = reactionTarget(args, ctx);
  if (typeof target === 'string') return fail(target);
  const list = ctx.store.reactionsByMessage.get(target.key) ?? [];
  const user = ctx.identity.botUserId;
  const rest = list.filter((r) => !(r.name === target.name && r.user === user));
  if (rest.length === list.length) return fail('no_reaction');
  ctx.store.reactionsByMessage.set(target.key, rest);
  return ok();
};

/** views.open/update/push/publish and reactions.add/remove. */
export const viewMethods: Record<string, ApiHandler> = {
  'views.open': open,
  'views.push': open,
  'views.update': update,
  'views.publish': publish,
  'reactions.add': reactionsAdd,
  'reactions.remove': reactionsRemove,
};
