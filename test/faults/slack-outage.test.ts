/** SPEC §8, Slack failing: a few quick retries, then a clear end, and the thread is not held up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerIn, composioUserOf, mention } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';

const CHANNEL = 'C0SLACKDOWN';
const USER = 'U0SLACKDOWN';

describe('Slack answering 503', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.composio.connect(composioUserOf(h, USER));
  });
  afterAll(() => h?.stop());

  it('gives up on a post after a few quick retries, says so, and the thread carries on', async () => {
    h.anthropic.script({ content: [text('Here is your answer.')] });
    // Four 503s in a row: the answer's post and its three retries.
    for (let i = 0; i < 4; i++)
      h.slack.failNext('chat.postMessage', 'service_unavailable', { status: 503 });
    const turn = await mention(h, { user: USER, channel: CHANNEL, text: 'first question' });
    await h.state.turnEnded(turn.eventId);
    const posts = () =>
      h.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === CHANNEL && c.args.thread_ts === turn.threadTs);
    // Bounded: four tries of the answer, not the SDK's default half hour of retries.
    expect(posts().filter((c) => !c.result?.ok)).toHaveLength(4);
    // Slack is back: the requester hears the turn failed (no raw error), once.
    const note = await h.waitForBotReply(CHANNEL, turn.threadTs, 'try again');
    expect(h.slack.visibleText(note)).not.toMatch(/503|service_unavailable/);

    // The thread's line moved on: the next message in it is answered.
    h.anthropic.script({ content: [text('Second answer.')] });
    const next = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'second question',
      threadTs: turn.threadTs,
    });
    await answerIn(h, CHANNEL, next.threadTs, 'Second answer.');
  });
});
