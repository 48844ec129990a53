import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { TurnOutput } from '../../turns/turn-output.js';
import { repliesViaResponseUrl, type TurnRequest } from '../../turns/turn-request.js';
import { approvalBlocks } from '../blocks/approval-blocks.js';
import { connectBlocks } from '../blocks/connect-blocks.js';
import { toSlackMarkdown } from '../text/slack-markdown.js';
import { withSources } from '../text/sources-text.js';
import { statusText } from '../text/status-text.js';
import { announceTurn } from './announce.js';
import { AnswerStream } from './answer-stream.js';
import { markdownMessages, type PrivateReplies } from './response-url.js';
import { findMarked, turnMark } from './turn-marks.js';

/** TurnOutput over the Slack Web API: status, streamed answers, approvals, private connect links. */
export function createSlackTurnOutput(
  client: WebClient,
  logger: Logger,
  privately: PrivateReplies,
): TurnOutput {
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
    announce: (request, options) => announceTurn(client, privately, request, options),
    async answer(request, answer, options) {
      // The sources go under the answer in the same message(s), posted or streamed once with it.
      const markdown = toSlackMarkdown(withSources(answer, options?.sources));
      if (viaResponseUrl(request)) return privately.send(request, markdownMessages(markdown));
      const stream = streamOf(request);
      streams.delete(request.id);
      await stream.finish(markdown, options?.resumed);
    },
    async askApproval(request, approvals, operations, options) {
      const text = `<@${request.userId}>, I need your approval before I go on.`;
      const blocks = approvalBlocks(request, operations);
      if (viaResponseUrl(request)) return privately.send(request, [{ text, blocks }]);
      await endStream(request);
      // Marked per pause: a turn may ask more than once, and each prompt is posted once.
      const markId = `${request.id}/${approvals[0]?.toolUseId ?? ''}`;
      if (options?.resumed) {
        const thread = { channel: request.channel, threadTs: request.threadTs };
        const earlier = await findMarked(
          client,
          { ...thread, oldest: request.messageTs },
          markId,
          'approval',
        );
        if (earlier.size) return;
      }
      await client.chat.postMessage({
        channel: request.channel,
        thread_ts: request.threadTs,
        text,
        blocks,
        metadata: turnMark(markId, 'approval'),
      });
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
      if (viaResponseUrl(request)) return privately.send(request, [{ text, blocks }]);
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
