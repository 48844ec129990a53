import { type ApiContext, type ApiHandler, contentError, fail, ok, str } from './api.js';
import type { Args, PostedMessage } from './types.js';

/** The thread a reply lands in: a reply's ts is mapped to its parent, as Slack does. */
export function threadRoot(
  ctx: ApiContext,
  channel: string,
  threadTs: unknown,
): string | undefined {
  const ts = str(threadTs);
  if (ts === undefined) return undefined;
  const parent = ctx.store.find(channel, ts);
  return parent?.thread_ts && parent.thread_ts !== parent.ts ? parent.thread_ts : ts;
}

/** The channel argument if it names a conversation the fake knows (or can synthesise). */
export function knownChannel(ctx: ApiContext, value: unknown): string | undefined {
  const channel = str(value);
  return channel !== undefined && ctx.store.channel(channel) ? channel : undefined;
}

/** A message the bot may edit, or the Slack error explaining why not. */
export function ownMessage(
  ctx: ApiContext,
  args: Args,
  notOwnError: string,
): PostedMessage | { error: string } {
  const channel = str(args.channel);
  const ts = str(args.ts);
  if (channel === undefined) return { error: 'channel_not_found' };
  if (ts === undefined) return { error: 'message_not_found' };
  const message = ctx.store.find(channel, ts);
  if (!message) return { error: 'message_not_found' };
  if (message.user !== ctx.identity.botUserId) return { error: notOwnError };
  return message;
}

function messageText(args: Args): string {
  return str(args.text) ?? str(args.markdown_text) ?? '';
}

/**
 * The `metadata` argument (chat.postMessage, chat.update, chat.stopStream): an object with a
 * string `event_type` and an object `event_payload`, as docs.slack.dev/messaging/message-metadata
 * and @slack/types MessageMetadata describe it. Undefined when absent; an error when malformed
 * (Slack answers `invalid_metadata_format`).
 */
export function metadataOf(args: Args): PostedMessage['metadata'] | { error: string } | undefined {
  const m = args.metadata as { event_type?: unknown; event_payload?: unknown } | undefined;
  if (m === undefined) return undefined;
  const payload = m?.event_payload;
  if (
    typeof m !== 'object' ||
    typeof m.event_type !== 'string' ||
    !m.event_type ||
    typeof payload !== 'object' ||
    payload === null ||
    Array.isArray(payload)
  )
    return { error: 'invalid_metadata_format' };
  return { event_type: m.event_type, event_payload: payload as Record<string, unknown> };
}

function blocksOf(args: Args): unknown[] | undefined {
  return Array.isArray(args.blocks) && args.blocks.length > 0 ? args.blocks : undefined;
}

const postMessage: ApiHandler = (args, ctx) => {
  const channel = knownChannel(ctx, args.channel);
  if (channel === undefined) return fail('channel_not_found');
  const error = contentError(args, ctx);
  if (error) return fail(error);
  const metadata = metadataOf(args);
  if (metadata && 'error' in metadata) return fail(metadata.error);
  const message = ctx.store.insert({
    channel,
    thread_ts: threadRoot(ctx, channel, args.thread_ts),
    text: messageText(args),
    blocks: blocksOf(args),
    user: ctx.identity.botUserId,
    bot_id: ctx.identity.botId,
    ...(metadata && { metadata }),
  });
  return ok({ channel, ts: message.ts, message: ctx.store.render(message) });
};

const update: ApiHandler = (args, ctx) => {
  const found = ownMessage(ctx, args, 'cant_update_message');
  if ('error' in found) return fail(found.error);
  const error = contentError(args, ctx);
  if (error) return fail(error);
  const metadata = metadataOf(args);
  if (metadata && 'error' in metadata) return fail(metadata.error);
  if (metadata) found.metadata = metadata;
  if (args.text !== undefined || args.markdown_text !== undefined) found.text = messageText(args);
  if (args.blocks !== undefined) {
    const blocks = blocksOf(args);
    if (blocks) found.blocks = blocks;
    else delete found.blocks;
  }
  found.edited = true;
  const rendered = ctx.store.render(found);
  return ok({ channel: found.channel, ts: found.ts, text: found.text, message: rendered });
};

const remove: ApiHandler = (args, ctx) => {
  const found = ownMessage(ctx, args, 'cant_delete_message');
  if ('error' in found) return fail(found.error);
  ctx.store.remove(found.channel, found.ts);
  return ok({ channel: found.channel, ts: found.ts });
};

const postEphemeral: ApiHandler = (args, ctx) => {
  const channel = knownChannel(ctx, args.channel);
  if (channel === undefined) return fail('channel_not_found');
  const user = str(args.user);
  if (user === undefined) return fail('user_not_in_channel');
  const error = contentError(args, ctx);
  if (error) return fail(error);
  const messageTs = ctx.store.nextTs();
  const thread = threadRoot(ctx, channel, args.thread_ts);
  ctx.store.ephemerals.push({
    channel,
    user,
    message_ts: messageTs,
    ...(thread !== undefined && { thread_ts: thread }),
    text: messageText(args),
    ...(blocksOf(args) && { blocks: blocksOf(args) }),
  });
  return ok({ message_ts: messageTs });
};

/** chat.postMessage, chat.update, chat.delete, chat.postEphemeral. */
export const chatMethods: Record<string, ApiHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': remove,
  'chat.postEphemeral': postEphemeral,
};
