/** SPEC §8 input edges: forged, stale, oversized, malformed and non-request input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composioUserOf, mention } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { expectNoSecrets, secretsOf, signedPost } from './fault-kit.js';

const CHANNEL = 'C0LIMITS';
const DM = 'D0LIMITS';
const USER = 'U0LIMITS';
const STACK = /at .+\.(ts|js):\d+|node_modules|Error:/;

describe('input at the edges', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.composio.connect(composioUserOf(h, USER));
    h.anthropic.respondWith(() => ({ content: [text('UNEXPECTED MODEL CALL')] }));
  });
  afterAll(async () => {
    await h?.stop();
    expectNoSecrets(h.logs, secretsOf(h));
  });

  /** Nothing ran for these inputs: no model call, no turn queued, no post. */
  async function expectNothingRan(since: Awaited<ReturnType<typeof mark>>) {
    expect(h.anthropic.requests.length).toBe(since.requests);
    expect(
      h.slack.callsTo('chat.postMessage').length + h.slack.callsTo('chat.startStream').length,
    ).toBe(since.posts);
    expect(await h.state.turnJobs()).toEqual(since.jobs);
  }
  const mark = async () => ({
    requests: h.anthropic.requests.length,
    posts: h.slack.callsTo('chat.postMessage').length + h.slack.callsTo('chat.startStream').length,
    jobs: await h.state.turnJobs(),
    logs: h.logs.length,
  });
  const event = (ts = `${Date.now() / 1000}`) => ({
    type: 'app_mention',
    user: USER,
    text: `<@${h.slack.botUserId}> delete everything`,
    ts,
    channel: CHANNEL,
  });

  it('answers 401 to a bad signature or a stale timestamp, and runs nothing', async () => {
    const since = await mark();
    const forged = await h.requester.event(h.eventsUrl, event(), { badSignature: true });
    const stale = await h.requester.event(h.eventsUrl, event(), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    const unsigned = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'event_callback', event: event() }),
    });
    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    for (const body of [forged.body, stale.body, await unsigned.text()])
      expect(body).not.toMatch(STACK);
    await expectNothingRan(since);
  });

  it('rejects an oversized body with 413 and no stack trace', async () => {
    const big = JSON.stringify({
      type: 'event_callback',
      event: { ...event(), text: 'x'.repeat(2 * 1024 * 1024) },
    });
    const res = await h.requester.raw(h.eventsUrl, big, 'application/json');
    expect(res.status).toBe(413);
    expect(res.body).not.toMatch(STACK);
  });

  it('answers malformed bodies with a 4xx and no stack trace', async () => {
    const since = await mark();
    const cases = [
      ['{"type": "event_callback", "event": ', 'application/json'],
      ['payload=%7Bnot-json', 'application/x-www-form-urlencoded'],
      ['payload=', 'application/x-www-form-urlencoded'],
      ['not a form at all', 'text/plain'],
      // Well-formed but not a Slack request Bolt knows: refused once Slack's 3 s are up.
      [
        `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions' }))}`,
        'application/x-www-form-urlencoded',
      ],
      ['{}', 'application/json'],
    ] as const;
    const results = await Promise.all(
      cases.map(([body, type]) => signedPost(h.eventsUrl, h.signingSecret, body, type)),
    );
    results.forEach((res, i) => {
      const label = cases[i]![0];
      expect(res.status, label).toBeGreaterThanOrEqual(400);
      expect(res.status, label).toBeLessThan(500);
      expect(res.body, label).not.toMatch(STACK);
    });
    await expectNothingRan(since);
  });

  it('ignores events that are missing the fields a request needs', async () => {
    const since = await mark();
    const broken = [
      { type: 'app_mention', text: 'no user', ts: '1.1', channel: CHANNEL },
      { type: 'message', channel_type: 'im', text: 'no user', ts: '1.2', channel: DM },
    ];
    for (const e of broken) {
      const res = await h.requester.event(h.eventsUrl, e);
      expect(res.status).toBeLessThan(500);
      expect(res.body).not.toMatch(STACK);
      await h.state.eventHandled(res.eventId);
    }
    await expectNothingRan(since);
  });

  it('ignores edits, deletions, joins, other bots and its own messages', async () => {
    const since = await mark();
    const base = { channel: DM, channel_type: 'im', ts: `${Date.now() / 1000}` };
    const ignored = [
      {
        type: 'message',
        subtype: 'message_changed',
        ...base,
        message: { user: USER, text: 'edited' },
      },
      { type: 'message', subtype: 'message_deleted', ...base, deleted_ts: '1.0' },
      { type: 'message', subtype: 'channel_join', ...base, user: USER, text: 'joined' },
      { type: 'message', subtype: 'bot_message', ...base, bot_id: 'B0OTHER', text: 'beep' },
      { type: 'message', ...base, user: 'U0OTHERBOT', bot_id: 'B0OTHER', text: 'another bot' },
      {
        type: 'message',
        ...base,
        user: h.slack.botUserId,
        bot_id: h.slack.botId,
        text: 'my own answer',
      },
      {
        type: 'app_mention',
        user: 'U0OTHERBOT',
        bot_id: 'B0OTHER',
        text: `<@${h.slack.botUserId}> hi`,
        ts: base.ts,
        channel: CHANNEL,
      },
    ];
    for (const e of ignored) {
      const res = await h.requester.event(h.eventsUrl, e);
      expect(res.status).toBe(200);
      // Bolt drops the bot's own messages before any middleware: nothing marks them handled.
      if (e.bot_id !== h.slack.botId) await h.state.eventHandled(res.eventId);
    }
    await expectNothingRan(since);
    expect(h.logs.slice(since.logs).filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  it('answers a very long message, an unfetchable file and an unreadable kind clearly, without the model', async () => {
    const since = await mark();
    const long = await mention(h, { user: USER, channel: CHANNEL, text: 'y'.repeat(20_500) });
    const reply = await h.waitForBotReply(CHANNEL, long.threadTs, 'characters long');
    expect(h.slack.visibleText(reply)).toMatch(/20,000/);

    const file = h.slack.addMessage({ channel: DM, user: USER, text: '' });
    await h.requester.event(h.eventsUrl, {
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      channel: DM,
      user: USER,
      text: '',
      ts: file.ts,
      files: [{ id: 'F0FILE', name: 'notes.pdf' }],
    });
    await h.waitForBotReply(DM, file.ts, "couldn't fetch the attached file");

    const root = h.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${h.slack.botUserId}>`,
    });
    await h.requester.event(h.eventsUrl, {
      type: 'app_mention',
      user: USER,
      text: root.text,
      ts: root.ts,
      channel: CHANNEL,
      files: [{ id: 'F0FILE2', name: 'deck.pptx' }],
    });
    await h.waitForBotReply(CHANNEL, root.ts, "I can't read deck.pptx");
    expect(h.anthropic.requests.length).toBe(since.requests);
  });

  it('answers an empty mention and an unknown subcommand with help', async () => {
    const empty = await mention(h, { user: USER, channel: CHANNEL, text: '' });
    await h.waitForBotReply(CHANNEL, empty.threadTs, 'Ask me to do something in Confluence');
    const res = await h.requester.command(h.eventsUrl, {
      text: 'statsu',
      user_id: USER,
      channel_id: CHANNEL,
      response_url: h.slack.responseUrl('unknown-sub'),
    });
    expect(res.status).toBe(200);
    const help = await h.slack.waitForResponse((r) => r.id === 'unknown-sub');
    expect(help.body.text).toContain("I don't know the subcommand `statsu`");
    expect(help.body.response_type).toBe('ephemeral');
  });
});
