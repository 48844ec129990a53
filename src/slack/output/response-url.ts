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

/**
 * A response_url takes at most five messages in 30 minutes, and the slash command used one.
 * https://docs.slack.dev/interactivity/implementing-slash-commands
 */
const MAX_ANSWER_POSTS = 4;

/** Posts a Markdown answer to a response_url, split under Slack's limits like thread replies. */
export async function postMarkdownToResponseUrl(url: string, markdown: string): Promise<void> {
  const chunks = splitMarkdown(markdown);
  if (chunks.length > MAX_ANSWER_POSTS) {
    chunks.length = MAX_ANSWER_POSTS;
    chunks[MAX_ANSWER_POSTS - 1] +=
      '\n\n_(The answer was too long to show here in full. Invite me to the channel, or ask me in a direct message, to see all of it.)_';
  }
  for (const chunk of chunks) {
    await postToResponseUrl(url, {
      text: markdownToPlainText(chunk),
      blocks: [{ type: 'markdown', text: chunk }],
    });
  }
}
