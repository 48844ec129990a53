import type { WebClient } from '@slack/web-api';
import type { TurnRequest } from '../../turns/turn-request.js';
import { isNotInChannel, tellPrivately } from '../reads/slack-errors.js';
import { escapeMrkdwn } from '../text/command-parse.js';
import { SECTION_TEXT_MAX } from '../text/split-message.js';
import type { PrivateReplies } from './response-url.js';
import { findMarked, turnMark } from './turn-marks.js';

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

/** How far before an earlier run's attempt its post may be stamped (clocks differ a little). */
const CLOCK_SLACK_S = 60;

/**
 * Posts a turn's announcement: a new root quoting a slash command (the turn then lives in its
 * thread), or a note in the shortcut's thread. Both carry the turn's mark, so a run of the turn
 * again after an earlier one tried (`triedSince`) finds its announcement instead of repeating
 * it. Where the bot is not a member, a command is answered privately through its response_url,
 * and a shortcut's requester is told by DM.
 */
export async function announceTurn(
  client: WebClient,
  privately: PrivateReplies,
  request: TurnRequest,
  options: { triedSince?: number } = {},
): Promise<TurnRequest | null> {
  const announce = request.announce;
  if (!announce) return request;
  const oldest =
    options.triedSince === undefined ? undefined : String(options.triedSince - CLOCK_SLACK_S);
  try {
    if (announce.where === 'new_thread') {
      const earlier = oldest
        ? (await findMarked(client, { channel: request.channel, oldest }, request.id, 'root')).get(
            0,
          )
        : undefined;
      const rootTs = earlier ?? (await postRoot(client, request, announce.text));
      return { ...request, threadTs: rootTs, messageTs: rootTs };
    }
    const thread = { channel: request.channel, threadTs: request.threadTs, oldest };
    const earlier = oldest
      ? (await findMarked(client, thread, request.id, 'note')).get(0)
      : undefined;
    const noteTs =
      earlier ??
      (
        await client.chat.postMessage({
          channel: request.channel,
          thread_ts: request.threadTs,
          text: announce.text,
          metadata: turnMark(request.id, 'note'),
        })
      ).ts;
    return { ...request, messageTs: noteTs ?? request.messageTs };
  } catch (err) {
    if (!isNotInChannel(err)) throw err;
    if (announce.where === 'new_thread' && request.responseUrl) {
      await privately.send(request, [{ text: INVITE_HINT }]);
      return { ...request, replyVia: 'response_url' };
    }
    await tellPrivately(client, request.userId, NOT_A_MEMBER(request.channel));
    return null;
  }
}

/** Posts a slash command's root message, quoting the request; resolves with its ts. */
async function postRoot(client: WebClient, request: TurnRequest, text: string): Promise<string> {
  const header = `<@${request.userId}> asked via \`/confluence\`:\n`;
  const quoted = quoteWithin(text, SECTION_TEXT_MAX - header.length);
  const root = await client.chat.postMessage({
    channel: request.channel,
    text: `<@${request.userId}> asked: ${escapeMrkdwn(text.slice(0, 200))}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${header}${quoted}` } }],
    metadata: turnMark(request.id, 'root'),
  });
  return root.ts!;
}
