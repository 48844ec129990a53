/**
 * message.im (src/slack/listeners/events/message-im.ts): every human message in a DM is a
 * request, answered in its thread; edits, joins, bots and channel messages are ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../../../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../../../kit/harness.js';
import { directMessage } from '../../../kit/slack-helpers.js';

const USER = 'U0DMUSER';
const DM = 'D0DMUSER';

describe('direct messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it('answers a DM in the thread of that message, then in an existing DM thread', async () => {
    h.anthropic.script({ content: [text('Your spaces are MKT and ENG.')] });
    const first = await directMessage(h, { user: USER, channel: DM, text: 'which spaces?' });
    const reply = await h.waitForBotReply(DM, first.ts, 'Your spaces are MKT and ENG.');
    expect(reply.thread_ts).toBe(first.ts);

    h.anthropic.script({ content: [text('Still MKT and ENG.')] });
    const followUp = await directMessage(h, {
      user: USER,
      channel: DM,
      text: 'and now?',
      threadTs: first.ts,
    });
    await h.waitForBotReply(DM, first.ts, 'Still MKT and ENG.');
    expect(h.botReplies(DM, first.ts)).toEqual([
      'Your spaces are MKT and ENG.',
      'Still MKT and ENG.',
    ]);
    expect(followUp.threadTs).toBe(first.ts);
    // The follow-up carried the thread's history to the model, without reading the thread back
    // from Slack: every message of the DM was a turn.
    expect(JSON.stringify(h.anthropic.requests[1]!.body.messages)).toContain('which spaces?');
    expect(h.slack.callsTo('conversations.replies')).toEqual([]);
  });

  it('ignores edits, deletions, joins, bot posts and channel messages: no model request', async () => {
    const before = h.anthropic.requests.length;
    const jobsBefore = (await h.state.turnJobs()).length;
    const base = { type: 'message', channel: DM, channel_type: 'im' };
    const ts = () => `${Math.floor(Date.now() / 1000)}.${String(Math.random()).slice(2, 8)}`;
    const ignored = [
      {
        ...base,
        subtype: 'message_changed',
        hidden: true,
        ts: ts(),
        message: { type: 'message', user: USER, text: 'edited', ts: '1.1' },
        previous_message: { type: 'message', user: USER, text: 'old', ts: '1.1' },
      },
      { ...base, subtype: 'message_deleted', hidden: true, ts: ts(), deleted_ts: '1.1' },
      { ...base, subtype: 'channel_join', user: USER, text: `<@${USER}> has joined`, ts: ts() },
      {
        ...base,
        subtype: 'bot_message',
        bot_id: 'B0OTHER',
        username: 'other bot',
        text: 'beep',
        ts: ts(),
      },
      { ...base, user: 'U0OTHERBOT', bot_id: 'B0OTHER', text: 'beep again', ts: ts() },
      { ...base, user: h.slack.botUserId, bot_id: h.slack.botId, text: 'my own answer', ts: ts() },
      {
        type: 'message',
        channel: 'C0GENERAL',
        channel_type: 'channel',
        user: USER,
        text: 'chatter',
        ts: ts(),
      },
    ];
    for (const event of ignored) {
      const sent = await h.requester.event(h.eventsUrl, event);
      expect(sent.status).toBe(200);
      // Bolt drops the bot's own messages before any middleware: nothing marks them handled.
      if (!('bot_id' in event && event.bot_id === h.slack.botId))
        await h.state.eventHandled(sent.eventId);
    }
    // Handled, and nothing queued for any of them.
    expect(await h.state.turnJobs()).toHaveLength(jobsBefore);

    // A real message after them is answered, and it is the only thing the model saw.
    h.anthropic.script({ content: [text('Hello again.')] });
    const real = await directMessage(h, { user: USER, channel: DM, text: 'hello' });
    await h.waitForBotReply(DM, real.ts, 'Hello again.');
    expect(h.anthropic.requests.length).toBe(before + 1);
    const seen = JSON.stringify(h.anthropic.requests.at(-1)!.body.messages);
    for (const word of ['edited', 'beep', 'my own answer', 'chatter'])
      expect(seen).not.toContain(word);
    expect(h.slack.messages('C0GENERAL').filter((m) => m.bot_id)).toEqual([]);
  });

  it('answers a file-only DM whose file cannot be fetched with a clear reply and no model request', async () => {
    const before = h.anthropic.requests.length;
    const sent = await directMessage(h, {
      user: USER,
      channel: DM,
      text: '',
      extra: {
        subtype: 'file_share',
        files: [{ id: 'F0PDF', name: 'brief.pdf', mimetype: 'application/pdf' }],
      },
    });
    const reply = await h.waitForBotReply(DM, sent.ts, "I couldn't fetch the attached file");
    expect(reply.thread_ts).toBe(sent.ts);
    expect(h.anthropic.requests.length).toBe(before);
  });
});
