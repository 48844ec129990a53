/** The thread shows what the bot is doing (assistant.threads.setStatus) until its answer arrives. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerIn, composioUserOf, mention } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import type { SlackCall } from '../kit/fake-slack/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { createPageCall } from '../kit/tool-calls.js';

const CHANNEL = 'C0STATUS';
const USER = 'U0STATUS';
const ANSWER = 'Created the page Status Report in space MKT.';
/** The calls that put bot text into a thread. */
const VISIBLE = new Set(['chat.postMessage', 'chat.startStream', 'chat.appendStream']);

describe('thread status while a turn runs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.composio.connect(composioUserOf(h, USER));
  });
  afterAll(() => h?.stop());

  // The app is stopped at the end of this test (to drain the turn): add no test after it.
  it('names the running Confluence action, keeps it up to the answer, and clears with the reply', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.anthropic.script({
      content: [createPageCall('Status Report', { html: '<p>All green.</p>' })],
    });
    // The model's answer after the tool result waits until the test has looked at the thread.
    h.anthropic.respondWith(async () => {
      await held;
      return { content: [text(ANSWER)] };
    });
    const before = h.anthropic.requests.length;

    const { eventId, threadTs } = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'create a page "Status Report" in MKT',
    });
    const inThread = (c: SlackCall) =>
      c.args.channel_id === CHANNEL && c.args.thread_ts === threadTs;
    const statusCalls = () =>
      h.slack.calls.filter((c) => c.method === 'assistant.threads.setStatus' && inThread(c));

    // While the tool runs the thread names the action...
    const shown = await h.slack.waitFor(
      'assistant.threads.setStatus',
      (c) => inThread(c) && c.args.status === 'Creating page…',
    );
    expect(shown.result).toMatchObject({ ok: true });
    // ...and it stays up after the tool finished, while the model works on the answer.
    await h.anthropic.waitForRequests(before + 2);
    const site = h.composio.confluence.site(composioUserOf(h, USER));
    expect(site.pages.filter((p) => p.title === 'Status Report')).toHaveLength(1);
    expect(h.slack.threadStatus(CHANNEL, threadTs)).toBe('Creating page…');
    expect(h.slack.messages(CHANNEL, threadTs).filter((m) => m.bot_id)).toEqual([]);
    // First a generic status as the turn starts, then the action; nothing empty or blank.
    expect(statusCalls().map((c) => c.args.status)).toEqual(['Thinking…', 'Creating page…']);

    release();
    await answerIn(h, CHANNEL, threadTs, ANSWER);
    // Stopping drains the turn: once this resolves, the turn has sent Slack all it ever will.
    await h.app.stop({ drainMs: 10_000 });
    // Nothing was left in flight: the turn had ended when the stop returned.
    await h.state.turnEnded(eventId, 0);

    // The reply cleared the status, and the bot set no new one once its answer began.
    expect(h.slack.threadStatus(CHANNEL, threadTs)).toBeUndefined();
    const firstAnswer = h.slack.calls.findIndex(
      (c) =>
        VISIBLE.has(c.method) &&
        c.args.channel === CHANNEL &&
        (c.args.thread_ts === threadTs || c.method === 'chat.appendStream'),
    );
    expect(firstAnswer).toBeGreaterThanOrEqual(0);
    const later = h.slack.calls
      .slice(firstAnswer)
      .filter((c) => c.method === 'assistant.threads.setStatus' && inThread(c));
    expect(later.filter((c) => c.args.status !== '')).toEqual([]);
    expect(statusCalls()).toHaveLength(2);
  });
});
