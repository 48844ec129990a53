import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { TurnRequest } from '../../turns/turn-request.js';
import { markdownToPlainText } from '../text/plain-text.js';
import { splitMarkdown } from '../text/split-message.js';

/** A message sent back through a slash command's or interaction's response_url. */
export interface ResponseUrlMessage {
  text: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

// Slack answers a response_url in well under a second; ten seconds without one is not coming.
const RESPONSE_URL_TIMEOUT_MS = 10_000;

/**
 * A response_url takes at most five messages, within 30 minutes of the interaction
 * (docs.slack.dev/interactivity/handling-user-interaction, "message responses").
 */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
/** A use this close to the end of the window may arrive after it: the reply goes by DM instead. */
const LIFETIME_MARGIN_MS = 60_000;

/** Posts to a response_url (ephemeral unless told otherwise); throws on a non-2xx answer. */
export async function postToResponseUrl(url: string, message: ResponseUrlMessage): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', ...message }),
    signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}

/** A Markdown answer as response_url messages, split under Slack's limits like thread replies. */
export function markdownMessages(markdown: string): ResponseUrlMessage[] {
  return splitMarkdown(markdown).map((chunk) => ({
    text: markdownToPlainText(chunk),
    blocks: [{ type: 'markdown', text: chunk }],
  }));
}

/** Counts the uses of a response_url across every replica. */
export interface ResponseUrlUses {
  /** Adds `n` uses; resolves with the total so far. */
  add(url: string, n: number): Promise<number>;
}

/** Replies only the requester sees, within the limits of the request's response_url. */
export interface PrivateReplies {
  /**
   * Sends `messages` through the request's response_url while it has uses and time left for all
   * of them; otherwise carries on in a DM with the requester, saying which request it is about.
   */
  send(request: TurnRequest, messages: ResponseUrlMessage[]): Promise<void>;
}

const continued = (channel: string) =>
  `_About your \`/confluence\` request in <#${channel}> (continued here: I can't reply there privately any more):_`;

/** Creates the private replies over a response_url use counter. */
export function createPrivateReplies(
  client: WebClient,
  uses: ResponseUrlUses,
  logger: Logger,
  now: () => number = Date.now,
): PrivateReplies {
  /** True when all `n` uses fit in what is left of the response_url. */
  async function reserve(request: TurnRequest, n: number): Promise<boolean> {
    const age = request.receivedAt === undefined ? 0 : now() - request.receivedAt;
    if (age > RESPONSE_URL_LIFETIME_MS - LIFETIME_MARGIN_MS) return false;
    try {
      return (await uses.add(request.responseUrl!, n)) <= RESPONSE_URL_MAX_USES;
    } catch (err) {
      // Uncounted is better than unsaid: Slack refuses a use too many, and the post fails then.
      logger.warn({ err }, 'response_url uses not counted; replying through it anyway');
      return true;
    }
  }

  return {
    async send(request, messages) {
      if (!messages.length) return;
      if (request.responseUrl && (await reserve(request, messages.length))) {
        for (const message of messages) await postToResponseUrl(request.responseUrl, message);
        return;
      }
      const opened = await client.conversations.open({ users: request.userId });
      const channel = opened.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      for (const [i, { text, blocks }] of messages.entries()) {
        const header =
          i === 0
            ? [
                {
                  type: 'context',
                  elements: [{ type: 'mrkdwn', text: continued(request.channel) }],
                },
              ]
            : [];
        await client.chat.postMessage({
          channel,
          text,
          ...((blocks || header.length) && {
            blocks: [
              ...header,
              ...(blocks ?? [{ type: 'section', text: { type: 'mrkdwn', text } }]),
            ],
          }),
        } as Parameters<WebClient['chat']['postMessage']>[0]);
      }
    },
  };
}
