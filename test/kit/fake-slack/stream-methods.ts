import { type ApiContext, type ApiHandler, blocksError, fail, ok, str } from './api.js';
import { knownChannel, metadataOf, ownMessage, threadRoot } from './chat-methods.js';
import { statusKey } from './store.js';
import type { Args, PostedMessage } from './types.js';

/** The chunks a stream call carries (markdown_text first), or a Slack error code. */
function streamChunks(args: Args): Args[] | { error: string } {
  const chunks: Args[] = [];
  const markdown = args.markdown_text;
  if (markdown !== undefined) {
    if (typeof markdown !== 'string') return { error: 'invalid_arguments' };
    if (markdown.length > 12_000) return { error: 'msg_too_long' };
    if (markdown !== '') chunks.push({ type: 'markdown_text', text: markdown });
  }
  if (args.chunks !== undefined) {
    if (!Array.isArray(args.chunks)) return { error: 'invalid_chunks' };
    for (const chunk of args.chunks) {
      if (typeof chunk !== 'object' || chunk === null || typeof chunk.type !== 'string') {
        return { error: 'invalid_chunks' };
      }
      if (chunk.type === 'markdown_text' && typeof chunk.text !== 'string') {
        return { error: 'invalid_chunks' };
      }
      if (typeof chunk.text === 'string' && chunk.text.length > 12_000)
        return { error: 'msg_too_long' };
      chunks.push(chunk);
    }
  }
  return chunks;
}

function applyChunks(message: PostedMessage, chunks: Args[]): void {
  message.chunks = [...(message.chunks ?? []), ...chunks];
  const text = chunks
    .filter((c) => c.type === 'markdown_text')
    .map((c) => c.text as string)
    .join('');
  message.text = (message.text ?? '') + text;
}

const startStream: ApiHandler = (args, ctx) => {
  const channel = knownChannel(ctx, args.channel);
  if (channel === undefined) return fail('channel_not_found');
  if (!ctx.store.channel(channel)?.is_im) {
    if (str(args.recipient_team_id) === undefined) return fail('missing_recipient_team_id');
    if (str(args.recipient_user_id) === undefined) return fail('missing_recipient_user_id');
  }
  const chunks = streamChunks(args);
  if ('error' in chunks) return fail(chunks.error);
  const message = ctx.store.insert({
    channel,
    thread_ts: threadRoot(ctx, channel, args.thread_ts),
    text: '',
    user: ctx.identity.botUserId,
    bot_id: ctx.identity.botId,
    streaming: true,
    chunks: [],
  });
  applyChunks(message, chunks);
  return ok({ channel, ts: message.ts });
};

/** The open stream named by channel+ts, or the Slack error. */
function openStream(args: Args, ctx: ApiContext): PostedMessage | { error: string } {
  const found = ownMessage(ctx, args, 'cant_update_message');
  if ('error' in found) return found;
  if (found.streaming !== true) return { error: 'message_not_in_streaming_state' };
  return found;
}

const appendStream: ApiHandler = (args, ctx) => {
  const message = openStream(args, ctx);
  if ('error' in message) return fail(message.error);
  const chunks = streamChunks(args);
  if ('error' in chunks) return fail(chunks.error);
  if (chunks.length === 0) return fail('invalid_arguments');
  applyChunks(message, chunks);
  return ok({ channel: message.channel, ts: message.ts });
};

const stopStream: ApiHandler = (args, ctx) => {
  const message = openStream(args, ctx);
  if ('error' in message) return fail(message.error);
  const chunks = streamChunks(args);
  if ('error' in chunks) return fail(chunks.error);
  if (args.blocks !== undefined) {
    const error = blocksError(args.blocks);
    if (error) return fail(error);
    message.blocks = args.blocks as unknown[];
  }
  const metadata = metadataOf(args);
  if (metadata && 'error' in metadata) return fail(metadata.error);
  if (metadata) message.metadata = metadata;
  applyChunks(message, chunks);
  message.streaming = false;
  return ok({ channel: message.channel, ts: message.ts, message: ctx.store.render(message) });
};

const setStatus: ApiHandler = (args, ctx) => {
  const channel = knownChannel(ctx, args.channel_id);
  if (channel === undefined) return fail('channel_not_found');
  const threadTs = str(args.thread_ts);
  if (threadTs === undefined || typeof args.status !== 'string') return fail('invalid_arguments');
  const loading = args.loading_messages;
  if (loading !== undefined && (!Array.isArray(loading) || loading.length > 10)) {
    return fail('invalid_arguments');
  }
  if (args.status === '') ctx.store.statuses.delete(statusKey(channel, threadTs));
  else ctx.store.statuses.set(statusKey(channel, threadTs), args.status);
  return ok();
};

/** chat.startStream / appendStream / stopStream and assistant.threads.setStatus. */
export const streamMethods: Record<string, ApiHandler> = {
  'chat.startStream': startStream,
  'chat.appendStream': appendStream,
  'chat.stopStream': stopStream,
  'assistant.threads.setStatus': setStatus,
};
