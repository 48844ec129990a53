import type { WebClient } from '@slack/web-api';
import type { TurnRequest } from '../../turns/turn-request.js';
import { isNotInChannel, tellPrivately } from '../reads/slack-errors.js';
import { escapeMrkdwn } from '../text/command-parse.js';
import { SECTION_TEXT_MAX } from '../text/split-message.js';
import { postToResponseUrl } from './response-url.js';

const INVITE_HINT =
  "I can't post in this channel because I'm not a member, so I'll answer you here, privately. To have me answer in the channel, invite me with `/invite @Confluence Agent`.";
const NOT_A_MEMBER = (channel: string) =>
  `I couldn't do that: I'm not a member of <#${channel}>, so I can't read it or reply there. Invite me with \`/invite @Confluence Agent\`, then try again.`;

/** Ends a quote that was cut short. */
const CUT_MARK = '…';

/**
 * The text as a Slack quote (every line prefixed with `>`, `&`, `<`, `>` escaped), at most `room`
 * characters long. A longer quote is cut between characters (never inside an entity such as
 * `&amp;` or a surrogate pair) and ends with "…".
 */
export function quoteWithin(text: string, room: number): string {
  const pieces = Array.from(text, (ch) => (ch === '\n' ? '\n>' : escapeMrkdwn(ch)));
  const whole = `>${pieces.join('')}`;
  if (whole.length <= room) return whole;
  let out = '>';
  for (const piece of pieces) {
    if (out.length + piece.length + CUT_MARK.length > room) break;
    out += piece;
  }
  return out + CUT_MARK;
}

/**
 * Posts a turn's announcement: a new root quoting a slash command (the turn then lives in its
 * thread), or a note in the shortcut's thread. Where the bot is not a member, a command is
 * answered privately through its response_url, and a shortcut's requester is told by DM.
 */
export async function announceTurn(
  client: WebClient,
  request: TurnRequest,
): Promise<TurnRequest | null> {
  const announce = request.announce;
  if (!announce) return request;
  try {
    if (announce.where === 'new_thread') {
      const header = `<@${request.userId}> asked via \`/confluence\`:\n`;
      const quoted = quoteWithin(announce.text, SECTION_TEXT_MAX - header.length);
      const root = await client.chat.postMessage({
        channel: request.channel,
        text: `<@${request.userId}> asked: ${escapeMrkdwn(announce.text.slice(0, 200))}`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${header}${quoted}` } }],
      });
      return { ...request, threadTs: root.ts!, messageTs: root.ts! };
    }
    const note = await client.chat.postMessage({
      channel: request.channel,
      thread_ts: request.threadTs,
      text: announce.text,
    });
    return { ...request, messageTs: note.ts ?? request.messageTs };
  } catch (err) {
    if (!isNotInChannel(err)) throw err;
    if (announce.where === 'new_thread' && request.responseUrl) {
      await postToResponseUrl(request.responseUrl, { text: INVITE_HINT });
      return { ...request, replyVia: 'response_url' };
    }
    await tellPrivately(client, request.userId, NOT_A_MEMBER(request.channel));
    return null;
  }
}
