/** Shared steps for the agent end-to-end tests: mentions, clicks, and reading what Slack got. */
import { expect, vi } from 'vitest';
import { text } from './fake-anthropic/index.js';
import type { Harness } from './harness.js';
import { deletePageCall, seedPage } from './tool-calls.js';

/** The Composio user id the app derives for a Slack user (COMPOSIO_USER_ID_MODE=slack). */
export const composioUserOf = (h: Harness, user: string) => `slack-${h.slack.teamId}-${user}`;

/**
 * Posts a message that mentions the bot (in a thread when `threadTs` is given) and sends the
 * event, with `files` (file objects, see FakeSlack.addFile) attached when given.
 */
export async function mention(
  h: Harness,
  options: { user: string; channel: string; text: string; threadTs?: string; files?: unknown[] },
): Promise<{ eventId: string; ts: string; threadTs: string }> {
  const message = h.slack.addMessage({
    channel: options.channel,
    user: options.user,
    text: `<@${h.slack.botUserId}> ${options.text}`,
    thread_ts: options.threadTs,
  });
  const sent = await h.requester.event(h.eventsUrl, {
    type: 'app_mention',
    user: options.user,
    text: message.text,
    ts: message.ts,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    channel: options.channel,
    team: h.slack.teamId,
    ...(options.files ? { files: options.files } : {}),
  });
  if (sent.status !== 200) throw new Error(`event refused: HTTP ${sent.status}`);
  return { eventId: sent.eventId, ts: message.ts, threadTs: options.threadTs ?? message.ts };
}

/** Everything the bot put into a thread (posts, streams, updates), as one searchable string. */
export function botThread(h: Harness, channel: string, threadTs: string): string {
  return JSON.stringify(h.slack.messages(channel, threadTs).filter((m) => m.bot_id));
}

/**
 * Waits until the bot's finished answer (posted, or streamed and stopped) in the thread
 * contains `expected`, however the app delivers it; returns the whole thread as a string.
 */
export async function answerIn(
  h: Harness,
  channel: string,
  threadTs: string,
  expected: string,
): Promise<string> {
  await vi.waitFor(
    () => {
      const bot = h.slack.messages(channel, threadTs).filter((m) => m.bot_id);
      expect(JSON.stringify(bot)).toContain(expected);
      expect(bot.filter((m) => m.streaming === true)).toEqual([]);
    },
    { timeout: 10_000, interval: 10 },
  );
  return botThread(h, channel, threadTs);
}

/** The messages list of the model request at `index`. */
// biome-ignore lint/suspicious/noExplicitAny: the recorded request body is free-form JSON.
export const messagesOf = (h: Harness, index: number): any[] =>
  h.anthropic.requests[index]!.body.messages;

/** The tool_result blocks of the last user message of the model request at `index`. */
export function toolResultsOf(h: Harness, index: number) {
  const content = messagesOf(h, index).at(-1).content as Array<Record<string, unknown>>;
  return content.filter((b) => b.type === 'tool_result') as Array<{
    tool_use_id: string;
    content: unknown;
    is_error?: boolean;
  }>;
}

/**
 * Resolves with the bot's Approve/Deny prompt in a thread (the chat.postMessage call that
 * posted it) once a paused turn has asked; its checkpoint is saved before the prompt is sent.
 */
export function approvalPrompt(h: Pick<Harness, 'slack'>, threadTs: string, timeoutMs = 10_000) {
  return h.slack.waitFor(
    'chat.postMessage',
    (c) =>
      c.args.thread_ts === threadTs &&
      JSON.stringify(c.args.blocks ?? '').includes('approval_approve'),
    timeoutMs,
  );
}

/** A `block_actions` payload for a button click on a bot message, as Slack sends it. */
export function buttonClick(
  h: Pick<Harness, 'slack'>,
  click: {
    user: string;
    channel: string;
    message: { ts: string; thread_ts?: string };
    actionId: string;
    value: string;
  },
) {
  const teamId = h.slack.teamId;
  return {
    type: 'block_actions',
    user: { id: click.user, username: click.user.toLowerCase(), team_id: teamId },
    api_app_id: 'A0FAKEAPP',
    token: 'fake-verification-token',
    container: {
      type: 'message',
      message_ts: click.message.ts,
      channel_id: click.channel,
      is_ephemeral: false,
      ...(click.message.thread_ts ? { thread_ts: click.message.thread_ts } : {}),
    },
    trigger_id: `${Date.now()}.1234.abcdef`,
    team: { id: teamId, domain: 'fake-workspace' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: click.channel, name: 'general' },
    message: {
      type: 'message',
      ts: click.message.ts,
      thread_ts: click.message.thread_ts,
      user: h.slack.botUserId,
      bot_id: h.slack.botId,
      text: 'approval',
    },
    state: { values: {} },
    response_url: h.slack.responseUrl(),
    actions: [
      {
        type: 'button',
        action_id: click.actionId,
        block_id: 'approval',
        value: click.value,
        text: { type: 'plain_text', text: click.actionId },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/**
 * Seeds a page in `user`'s site, has the model ask to delete it in answer to `user`'s mention
 * (in `threadTs` when given), and resolves once the Approve/Deny prompt is posted. `click`
 * sends a button click on that prompt as any user.
 */
export async function askToDelete(
  h: Harness,
  options: { user: string; channel: string; title: string; threadTs?: string },
) {
  const { user, channel, title } = options;
  const pageId = seedPage(h.composio, composioUserOf(h, user), title);
  h.anthropic.script({ content: [text(`I'll delete "${title}".`), deletePageCall(pageId)] });
  const turn = await mention(h, {
    user,
    channel,
    text: `delete ${title}`,
    threadTs: options.threadTs,
  });
  const prompt = await approvalPrompt(h, turn.threadTs);
  const promptTs = String(prompt.result!.ts);
  const click = (clicker: string, actionId: 'approval_approve' | 'approval_deny') =>
    h.requester.interaction(
      h.eventsUrl,
      buttonClick(h, {
        user: clicker,
        channel,
        message: { ts: promptTs, thread_ts: turn.threadTs },
        actionId,
        value: turn.eventId,
      }),
    );
  return { ...turn, pageId, prompt, promptTs, click };
}
