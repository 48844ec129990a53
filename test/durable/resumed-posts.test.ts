import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../kit/app-process.js';
import { text } from '../kit/fake-anthropic/index.js';
import type { PostedMessage, SlackCall } from '../kit/fake-slack/index.js';
import { answered, botAnswers, type DurableWorld, mentionBot, startWorld } from './durable-kit.js';

const CHANNEL = 'C0ONCE';
const USER = 'U0ONCE';

/** The mark the app puts on a post of a turn's `kind` (root, note, answer), as Slack returns it. */
const markOf = (m: { metadata?: PostedMessage['metadata'] } | SlackCall['args']) =>
  (m.metadata as PostedMessage['metadata'])?.event_payload as
    | { turn_id: string; kind: string; part: number }
    | undefined;

describe('durable turns: a resumed turn never posts its root, note or answer twice', () => {
  let w: DurableWorld;
  beforeEach(async () => {
    w = await startWorld();
    w.composio.connect(`slack-${w.slack.teamId}-${USER}`);
  });
  afterEach(() => w?.close());

  /**
   * Holds Slack's answer to the post of `kind` (it is in the channel, but the app does not know),
   * kills the only instance meanwhile, and starts another that takes the turn over.
   */
  async function killWhilePosting(app: RunningApp, kind: string, part = 0) {
    const held = w.slack.holdAnswer(
      'chat.postMessage',
      (c) => markOf(c.args)?.kind === kind && markOf(c.args)?.part === part,
    );
    await held.reached;
    app.kill('SIGKILL');
    await app.exited;
    held.release();
    return w.start(`${app.name}-again`);
  }

  it("a command's root message posted just before its runner died is not posted again", async () => {
    const a = await w.start('a');
    w.anthropic.respondWith(() => ({ content: [text('Hello from the new thread.')] }));
    const sent = await w.requester.command(a.eventsUrl, {
      text: 'say hello in a thread',
      user_id: USER,
      channel_id: CHANNEL,
      response_url: w.slack.responseUrl('once-root'),
    });
    expect(sent.status).toBe(200);
    await killWhilePosting(a, 'root');

    const roots = () =>
      w.slack.messages(CHANNEL).filter((m) => m.bot_id && (!m.thread_ts || m.thread_ts === m.ts));
    await w.slack.waitForCall(() =>
      roots().some((r) => botAnswers(w, CHANNEL, r.ts).includes('Hello from the new thread.')),
    );
    expect(roots()).toHaveLength(1);
    expect(markOf(roots()[0]!)?.kind).toBe('root');
    expect(botAnswers(w, CHANNEL, roots()[0]!.ts).slice(1)).toEqual(['Hello from the new thread.']);
  });

  it('an answer posted just before its runner died is not posted again', async () => {
    const a = await w.start('a');
    w.anthropic.respondWith(() => ({ content: [text('Short and sweet.')] }));
    const { msg, eventId } = await mentionBot(
      w,
      { eventsUrl: a.eventsUrl, channel: CHANNEL, user: USER },
      'answer briefly',
    );
    await killWhilePosting(a, 'answer');

    await w.state.turnEnded(eventId, 15_000);
    await answered(w, CHANNEL, msg.ts, 'Short and sweet.');
    expect(botAnswers(w, CHANNEL, msg.ts)).toEqual(['Short and sweet.']);
  });

  it('a long answer cut off after its second part is completed, each part once', async () => {
    const a = await w.start('a');
    // Three messages' worth: each paragraph is a line of its own part marker and filler.
    const paragraphs = Array.from(
      { length: 3 },
      (_, i) => `Part ${i + 1} begins. ${'lorem ipsum dolor sit amet '.repeat(420)}`,
    );
    w.anthropic.respondWith(() => ({ content: [text(paragraphs.join('\n\n'))] }));
    const { msg, eventId } = await mentionBot(
      w,
      { eventsUrl: a.eventsUrl, channel: CHANNEL, user: USER },
      'write at length',
    );
    await killWhilePosting(a, 'answer', 1);

    await w.state.turnEnded(eventId, 15_000);
    const shown = botAnswers(w, CHANNEL, msg.ts);
    for (const i of [1, 2, 3])
      expect(shown.filter((m) => m.includes(`Part ${i} begins.`))).toHaveLength(1);
    const parts = w.slack
      .messages(CHANNEL, msg.ts)
      .filter((m) => m.bot_id)
      .map((m) => markOf(m)?.part);
    expect(parts).toEqual([0, 1, 2]);
  });
});
