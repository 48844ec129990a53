import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ChatUnfurlArguments, LinkUnfurls } from '@slack/web-api';
import type { ConnectionService } from '../../../composio/connections.js';
import type { LinkPreviews } from '../../../confluence/link-previews.js';
import { type PageRef, pageRefOf } from '../../../confluence/page-url.js';
import { pagePreviewUnfurl } from '../../blocks/page-preview-blocks.js';
import { afterAck } from '../../plumbing/after-ack.js';

/** What the link preview listener needs. */
export interface LinkSharedDeps {
  linkPreviews: LinkPreviews;
  /** The Confluence sites' domains (CONFLUENCE_DOMAINS); none: no previews. */
  previewDomains: readonly string[];
  connections: ConnectionService;
  /** The toolkit whose connection the previews read with. */
  toolkit: string;
  composioUserIdOf(teamId: string, userId: string): Promise<string>;
}

/** Which message chat.unfurl attaches to: its channel and ts, or Slack's unfurl id. */
type UnfurlTarget =
  | { channel: string; ts: string }
  | { unfurl_id: string; source: 'composer' | 'conversations_history' };

/** Page links previewed per message at most: each is a lookup, and a wall of previews helps no one. */
export const MAX_PREVIEW_LINKS = 5;

/** The prompt Slack shows the poster, only them, beside its Connect button. */
const CONNECT_PROMPT = 'Connect your Confluence account to see previews of Confluence pages.';

/**
 * `link_shared` (https://docs.slack.dev/reference/events/link_shared): Confluence page links in a
 * message where the bot is a member get a preview through chat.unfurl, looked up with the poster's own connection, after
 * the ack. A poster without a connection gets Slack's connect prompt, seen only by them; a page
 * they cannot read gets nothing. Retried deliveries stop at the event dedupe (same event_id).
 */
export function createLinkSharedListener(deps: LinkSharedDeps) {
  return async ({
    event,
    body,
    context,
    client,
    logger,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'link_shared'>) => {
    // Previews are for conversations the bot is part of (channels it was invited to, its DMs).
    if (event.is_bot_user_member === false) {
      logger.debug('link_shared where the bot is not a member: no preview');
      return;
    }
    const refs = pageRefsOf(event.links, deps.previewDomains);
    if (!refs.length || typeof event.user !== 'string') {
      logger.debug('link_shared without a Confluence page link to preview');
      return;
    }
    const teamId = context.teamId ?? body.team_id;
    // Either target names the message (https://docs.slack.dev/reference/methods/chat.unfurl):
    // unfurl_id + source also covers links still in the composer.
    const source = event.source;
    const target: UnfurlTarget =
      event.unfurl_id && (source === 'composer' || source === 'conversations_history')
        ? { unfurl_id: event.unfurl_id, source }
        : { channel: event.channel, ts: event.message_ts };
    afterAck(logger, 'link preview', async () => {
      const composioUserId = await deps.composioUserIdOf(teamId, event.user);
      const previews = await deps.linkPreviews.previews(composioUserId, refs);
      let unfurl: ChatUnfurlArguments | undefined;
      if (previews.size < refs.length) {
        // Some page got no preview: if the poster has no connection, that is why.
        const link = await deps.connections
          .connect(composioUserId, deps.toolkit)
          .catch((err: Error) => {
            // The previews that were found still go out; only the prompt is missed.
            logger.warn(`link preview connection check failed: ${err.message}`);
            return null;
          });
        if (link) {
          unfurl = {
            ...target,
            unfurls: {},
            user_auth_required: true,
            user_auth_url: link.redirectUrl,
            user_auth_message: CONNECT_PROMPT,
          };
        }
      }
      if (!unfurl && previews.size) {
        const unfurls: LinkUnfurls = {};
        for (const [url, preview] of previews) unfurls[url] = pagePreviewUnfurl(preview);
        unfurl = { ...target, unfurls };
      }
      if (!unfurl) {
        logger.debug(
          `no preview for ${refs.length} Confluence link(s): not readable by the poster`,
        );
        return;
      }
      await client.chat.unfurl(unfurl);
      logger.debug(
        `link preview sent: ${previews.size} of ${refs.length} page(s)${unfurl.user_auth_required ? ', connect prompt' : ''}`,
      );
    });
  };
}

/** The distinct page links of an event on the configured domains, at most MAX_PREVIEW_LINKS. */
function pageRefsOf(links: unknown, domains: readonly string[]): PageRef[] {
  if (!Array.isArray(links) || !domains.length) return [];
  const refs = new Map<string, PageRef>();
  for (const link of links.slice(0, 50)) {
    const url = (link as { url?: unknown } | null)?.url;
    if (typeof url !== 'string' || url.length > 2_000 || refs.has(url)) continue;
    const ref = pageRefOf(url, domains);
    if (ref) refs.set(url, ref);
    if (refs.size >= MAX_PREVIEW_LINKS) break;
  }
  return [...refs.values()];
}
