import type { WebClient } from '@slack/web-api';
import type { PendingApproval } from '../../agent/agent-config.js';
import type { Logger } from '../../logger.js';
import type { TurnOutput } from '../../turns/turn-output.js';
import { repliesViaResponseUrl, type TurnRequest } from '../../turns/turn-request.js';
import { approvalBlocks } from '../blocks/approval-blocks.js';
import { connectBlocks } from '../blocks/connect-blocks.js';
import { REPLIES_PAGE_SIZE } from '../reads/thread-reader.js';
import { toSlackMarkdown } from '../text/slack-markdown.js';
import { statusText } from '../text/status-text.js';
import { announceTurn } from './announce.js';
import { AnswerStream } from './answer-stream.js';
import { postMarkdownToResponseUrl, postToResponseUrl } from './response-url.js';

// The start of an answer is enough to recognise it among the bot's replies.
const ANSWER_PROBE_CHARS = 120;
// A resumed turn's answer is among the replies since its request: 1,000 of them is plenty.
const MAX_ANSWER_PROBE_PAGES = 5;

/** TurnOutput over the Slack Web API: status, streamed answers, approvals, private connect links. */
export function createSlackTurnOutput(client: WebClient, logger: Logger): TurnOutput {
  const streams = new Map<string, AnswerStream>();
  const viaResponseUrl = repliesViaResponseUrl;
  const streamOf = (r: TurnRequest) => {
    let stream = streams.get(r.id);
    if (!stream) {
      stream = new AnswerStream(client, r, logger);
      streams.set(r.id, stream);
    }
    return stream;
  };
  const endStream = async (r: TurnRequest) => {
    await streams.get(r.id)?.close();
    streams.delete(r.id);
  };

  const setStatus = async (request: TurnRequest, words: string) => {
    if (viaResponseUrl(request)) return;
    try {
      await client.assistant.threads.setStatus({
        channel_id: request.channel,
        thread_ts: request.threadTs,
        status: words,
      });
    } catch (err) {
      // Not every conversation supports a thread status; the answer still arrives.
      logger.debug({ err: { message: (err as Error).message } }, 'thread status not shown');
    }
  };

  return {
    status: (request, slugs) => setStatus(request, statusText(slugs)),
    statusWords: setStatus,
    async streamText(request, delta) {
      if (!viaResponseUrl(request)) await streamOf(request).append(delta);
    },
    announce: (request) => announceTurn(client, request),
    async answer(request, answer) {
      const markdown = toSlackMarkdown(answer);
      if (viaResponseUrl(request)) return postMarkdownToResponseUrl(request.responseUrl!, markdown);
      const stream = streamOf(request);
      streams.delete(request.id);
      await stream.finish(markdown);
    },
    async askApproval(request, approvals: PendingApproval[]) {
      const text = `<@${request.userId}>, I need your approval before I go on.`;
      const blocks = approvalBlocks(request, approvals);
      if (viaResponseUrl(request)) return postToResponseUrl(request.responseUrl!, { text, blocks });
      await endStream(request);
      await client.chat.postMessage({
        channel: request.channel,
        thread_ts: request.threadTs,
        text,
        blocks,
      });
    },
    async hasAnswer(request, markdown) {
      if (viaResponseUrl(request)) return false;
      const needle = JSON.stringify(markdown.trim().slice(0, ANSWER_PROBE_CHARS)).slice(1, -1);
      let cursor: string | undefined;
      for (let page = 0; page < MAX_ANSWER_PROBE_PAGES; page++) {
        const res = await client.conversations.replies({
          channel: request.channel,
          ts: request.threadTs,
          oldest: request.messageTs,
          cursor,
          limit: REPLIES_PAGE_SIZE,
        });
        if ((res.messages ?? []).some((m) => m.bot_id && JSON.stringify(m).includes(needle)))
          return true;
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return false;
    },
    visibleState(request) {
      const ts = streams.get(request.id)?.ts;
      return ts ? { streamTs: ts } : {};
    },
    restore(request, visible) {
      if (visible.streamTs && !viaResponseUrl(request)) streamOf(request).restore(visible.streamTs);
    },
    async connectLink(request, toolkit, url) {
      const { text, blocks } = connectBlocks(toolkit, url);
      if (viaResponseUrl(request)) return postToResponseUrl(request.responseUrl!, { text, blocks });
      await client.chat.postEphemeral({
        channel: request.channel,
        user: request.userId,
        thread_ts: request.threadTs,
        text,
        blocks,
      });
    },
  };
}
