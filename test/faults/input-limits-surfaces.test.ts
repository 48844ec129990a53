/** SPEC §8 input edges on the other surfaces: an overlong `/confluence` or DM, and an empty DM. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composioUserOf } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { directMessage } from '../kit/slack-helpers.js';

const CHANNEL = 'C0SURFACES';
const DM = 'D0SURFACES';
const USER = 'U0SURFACES';

describe('input limits on every surface', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.composio.connect(composioUserOf(h, USER));
    h.anthropic.respondWith(() => ({ content: [text('UNEXPECTED MODEL CALL')] }));
  });
  afterAll(() => h?.stop());

  it('answers a /confluence request over 20,000 characters privately, without the model', async () => {
    const before = h.anthropic.requests.length;
    const res = await h.requester.command(h.eventsUrl, {
      text: 'please archive '.repeat(1_400), // 21,000 characters
      user_id: USER,
      channel_id: CHANNEL,
      response_url: h.slack.responseUrl('too-long'),
    });
    expect(res.status).toBe(200);
    const reply = await h.slack.waitForResponse((r) => r.id === 'too-long');
    expect(reply.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply.body)).toContain('characters long');
    expect(JSON.stringify(reply.body)).toMatch(/20,000/);
    // Nothing in the channel: no quoting root, no answer.
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toEqual(
      [],
    );
    expect(h.anthropic.requests.length).toBe(before);
  });

  it('answers a DM over 20,000 characters clearly in its thread, without the model', async () => {
    const before = h.anthropic.requests.length;
    const sent = await directMessage(h, { user: USER, channel: DM, text: 'z'.repeat(20_500) });
    const reply = await h.waitForBotReply(DM, sent.ts, 'characters long');
    expect(reply.thread_ts).toBe(sent.ts);
    expect(h.slack.visibleText(reply)).toMatch(/20,500 characters long; I can take up to 20,000/);
    expect(h.anthropic.requests.length).toBe(before);
  });

  it('answers an empty DM with the help an empty mention gets, without the model', async () => {
    const before = h.anthropic.requests.length;
    const sent = await directMessage(h, { user: USER, channel: DM, text: '' });
    const reply = await h.waitForBotReply(DM, sent.ts, 'Ask me to do something in Confluence');
    expect(reply.thread_ts).toBe(sent.ts);
    expect(h.slack.visibleText(reply)).toMatch(/create a page titled "Launch Plan"/);
    expect(h.anthropic.requests.length).toBe(before);
  });

  it('answers a DM holding only a mention of the bot with the same help', async () => {
    const before = h.anthropic.requests.length;
    const sent = await directMessage(h, {
      user: USER,
      channel: DM,
      text: `<@${h.slack.botUserId}>`,
    });
    await h.waitForBotReply(DM, sent.ts, 'Ask me to do something in Confluence');
    expect(h.anthropic.requests.length).toBe(before);
  });
});
