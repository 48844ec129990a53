import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { TurnRequest } from '../../turns/turn-request.js';
import { markdownToPlainText } from '../text/plain-text.js';
import { SLACK_MARKDOWN_LIMIT, splitMarkdown } from '../text/split-message.js';
import { postThreadReply } from './thread-replier.js';
import { findMarked, turnMark } from './turn-marks.js';

type Streamer = ReturnType<WebClient['chatStream']>;

/** Stop streaming into one message before it reaches Slack's markdown limit. */
const STREAM_LIMIT = SLACK_MARKDOWN_LIMIT - 1_000;

/**
 * Streams one turn's answer into its thread with Slack's streaming API (chat.startStream,
 * appendStream, stopStream) and finishes it with the final text; falls back to plain posts
 * when streaming is unavailable or fails part-way.
 */
export class AnswerStream {
  private streamer?: Streamer;
  private streamed = '';
  private failed = false;
  private full = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** A message an interrupted run of this turn left behind: the answer replaces it. */
  private leftover?: string;

  constructor(
    private readonly client: WebClient,
    private readonly request: TurnRequest,
    private readonly logger: Logger,
  ) {}

  /** The message being streamed into (or left by an interrupted run), once it exists. */
  get ts(): string | undefined {
    return this.streamer?.ts ?? this.leftover;
  }

  /** Continues a turn resumed after a crash: its earlier message is replaced, not repeated. */
  restore(ts: string): void {
    this.leftover = ts;
  }

  /** Appends a piece of text as it arrives (in order). */
  append(delta: string): Promise<void> {
    if (this.leftover || this.failed || this.full) return Promise.resolve();
    if (this.streamed.length + delta.length > STREAM_LIMIT) {
      // Later, smaller pieces must not be streamed after a gap; finish() posts the rest.
      this.full = true;
      return Promise.resolve();
    }
    this.streamed += delta;
    this.streamer ??= this.client.chatStream({
      channel: this.request.channel,
      thread_ts: this.request.threadTs,
      recipient_team_id: this.request.teamId,
      recipient_user_id: this.request.userId,
    });
    const streamer = this.streamer;
    this.queue = this.queue
      // After a failure, pieces already queued must not restart the stream with a gap.
      .then(() => (this.failed ? undefined : streamer.append({ markdown_text: delta })))
      .catch((err) => this.fail(err));
    return this.queue.then(() => {});
  }

  /** Ends the stream as it is (before an approval prompt, for instance). */
  async close(): Promise<void> {
    await this.queue;
    if (this.streamer && !this.failed) await this.streamer.stop().catch((err) => this.fail(err));
  }

  /**
   * Finishes the answer: completes the streamed message, or replaces it, or posts it. Every
   * message of the answer carries the turn's mark; a `resumed` run (an earlier one may have
   * posted some of it before dying) posts only the parts not already in the thread.
   */
  async finish(markdown: string, resumed = false): Promise<void> {
    await this.queue;
    const turnId = this.request.id;
    const mark = turnMark(turnId, 'answer', 0);
    // Nothing reached Slack yet (the helper was still buffering): one post says it all, instead
    // of opening a stream only to close it.
    const streamer = this.streamer?.ts ? this.streamer : undefined;
    if (
      streamer &&
      !this.failed &&
      markdown.startsWith(this.streamed) &&
      markdown.length <= STREAM_LIMIT
    ) {
      const rest = markdown.slice(this.streamed.length);
      try {
        if (rest) await streamer.append({ markdown_text: rest });
        await streamer.stop({ metadata: mark });
        return;
      } catch (err) {
        this.fail(err);
      }
    }
    // End a started stream whatever happened to it, so its message is not left in progress.
    if (streamer?.ts) await streamer.stop().catch((err) => this.fail(err));
    if (this.leftover) {
      // The interrupted run's stream may still be open: close it, then replace its text.
      await this.client.chat
        .stopStream({ channel: this.request.channel, ts: this.leftover })
        .catch(() => {});
    }
    const target = { channel: this.request.channel, threadTs: this.request.threadTs };
    const posted = resumed
      ? await findMarked(
          this.client,
          { ...target, oldest: this.request.messageTs },
          turnId,
          'answer',
        )
      : undefined;
    const ts = streamer?.ts ?? this.leftover;
    if (!ts) {
      await postThreadReply(this.client, target, markdown, { turnId, posted });
      return;
    }
    // Replace what was streamed with the final text; anything longer continues below it.
    const [first = '', ...more] = splitMarkdown(markdown);
    await this.client.chat.update({
      channel: this.request.channel,
      ts,
      text: markdownToPlainText(first),
      blocks: [{ type: 'markdown', text: first }],
      metadata: mark,
    });
    if (more.length) {
      await postThreadReply(this.client, target, more.join('\n\n'), {
        turnId,
        firstPart: 1,
        posted,
      });
    }
  }

  private fail(err: unknown) {
    if (!this.failed)
      this.logger.debug(
        { err: { message: (err as Error)?.message } },
        'streaming stopped; falling back to posting',
      );
    this.failed = true;
  }
}
