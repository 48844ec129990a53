/**
 * Link unfurling, as Slack documents it (https://docs.slack.dev/messaging/unfurling-links-in-messages,
 * https://docs.slack.dev/reference/methods/chat.unfurl, https://docs.slack.dev/reference/events/link_shared
 * and @slack/web-api's ChatUnfurlArguments): the `link_shared` event Slack sends for a message's
 * links on the app's unfurl domains, and chat.unfurl, which attaches previews to that message
 * (seen by everyone in the channel) or, with `user_auth_required`, shows the poster alone a
 * prompt to connect.
 */
import { randomBytes } from 'node:crypto';
import { type ApiContext, type ApiHandler, blocksError, fail, ok, str } from './api.js';
import type { Args, PostedMessage, UnfurlPrompt } from './types.js';

// What Slack recognises as a link in message text: `<https://…>` or `<https://…|label>`, or bare.
const LINK = /<(https?:\/\/[^|>\s]+)(?:\|[^>]*)?>|(https?:\/\/[^\s<>|]+)/g;

/** The links of a message on one of the app's unfurl domains (a domain or its subdomains). */
export function sharedLinks(
  text: string,
  domains: readonly string[],
): Array<{ domain: string; url: string }> {
  const links: Array<{ domain: string; url: string }> = [];
  for (const m of text.matchAll(LINK)) {
    const url = m[1] ?? m[2] ?? '';
    let host: string;
    try {
      host = new URL(url).hostname.toLowerCase();
    } catch {
      continue;
    }
    const domain = domains.find((d) => host === d || host.endsWith(`.${d}`));
    if (domain && !links.some((l) => l.url === url)) links.push({ domain: host, url });
  }
  return links;
}

/**
 * The `link_shared` event for a posted message (the docs' example payload): its links on the
 * unfurl domains, the message's channel and ts, `source: conversations_history` and an
 * `unfurl_id` the fake remembers, so chat.unfurl may name the message either way.
 */
export function linkSharedEvent(
  ctx: ApiContext,
  message: PostedMessage,
  domains: readonly string[],
  botIsMember = true,
): Args {
  const unfurlId = `${message.channel}.${message.ts.replace('.', '')}.${randomBytes(32).toString('hex')}`;
  ctx.store.unfurlIds.set(unfurlId, { channel: message.channel, ts: message.ts });
  return {
    type: 'link_shared',
    channel: message.channel,
    is_bot_user_member: botIsMember,
    user: message.user,
    message_ts: message.ts,
    ...(message.thread_ts && message.thread_ts !== message.ts
      ? { thread_ts: message.thread_ts }
      : {}),
    unfurl_id: unfurlId,
    source: 'conversations_history',
    links: sharedLinks(message.text ?? '', domains),
    event_ts: message.ts,
  };
}

const isTrue = (value: unknown) =>
  value === true || value === 'true' || value === '1' || value === 1;

/** The message chat.unfurl names: by channel + ts, or by unfurl_id + source (never a mix). */
function targetOf(args: Args, ctx: ApiContext): PostedMessage | { error: string } {
  const byId = str(args.unfurl_id) !== undefined || str(args.source) !== undefined;
  const byTs = str(args.channel) !== undefined || str(args.ts) !== undefined;
  if (byId === byTs) return { error: 'invalid_arguments' };
  if (byId) {
    if (!['composer', 'conversations_history'].includes(String(args.source)))
      return { error: 'invalid_arguments' };
    const at = ctx.store.unfurlIds.get(String(args.unfurl_id));
    const message = at && ctx.store.find(at.channel, at.ts);
    return message ?? { error: 'cannot_unfurl_message' };
  }
  const channel = str(args.channel);
  const ts = str(args.ts);
  if (!channel || !ctx.store.channel(channel)) return { error: 'cannot_find_channel' };
  if (!ts) return { error: 'invalid_arguments' };
  return ctx.store.find(channel, ts) ?? { error: 'cannot_unfurl_message' };
}

/** Slack's error for an `unfurls` map, or undefined: each key a URL of the message, each value one attachment. */
function unfurlsError(unfurls: unknown, message: PostedMessage): string | undefined {
  if (typeof unfurls !== 'object' || unfurls === null || Array.isArray(unfurls))
    return 'invalid_arguments';
  for (const [url, attachment] of Object.entries(unfurls)) {
    // "The ts value … must correspond to a message … [that] contain[s] a fully-qualified URL".
    if (!(message.text ?? '').includes(url)) return 'cannot_unfurl_message';
    if (typeof attachment !== 'object' || attachment === null || Array.isArray(attachment))
      return 'invalid_arguments';
    const blocks = (attachment as Args).blocks;
    if (blocks !== undefined) {
      const error = blocksError(blocks);
      if (error) return error;
    }
  }
  return undefined;
}

const unfurl: ApiHandler = (args, ctx) => {
  const message = targetOf(args, ctx);
  if ('error' in message) return fail(message.error);
  // "Either unfurls or metadata must be provided."
  if (args.unfurls === undefined && args.metadata === undefined) return fail('invalid_arguments');
  if (args.unfurls !== undefined) {
    const error = unfurlsError(args.unfurls, message);
    if (error) return fail(error);
    // Calls for the same message modify its attachments rather than adding more.
    message.unfurls = { ...message.unfurls, ...(args.unfurls as Record<string, unknown>) };
  }
  if (isTrue(args.user_auth_required)) {
    const prompt: UnfurlPrompt = {
      channel: message.channel,
      message_ts: message.ts,
      user: message.user,
      ...(str(args.user_auth_url) !== undefined && { user_auth_url: str(args.user_auth_url) }),
      ...(str(args.user_auth_message) !== undefined && {
        user_auth_message: str(args.user_auth_message),
      }),
    };
    ctx.store.unfurlPrompts.push(prompt);
  }
  return ok();
};

/** chat.unfurl. */
export const unfurlMethods: Record<string, ApiHandler> = { 'chat.unfurl': unfurl };
