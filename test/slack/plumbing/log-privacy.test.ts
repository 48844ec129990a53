/**
 * README "LOG_LEVEL": at every level, logs carry no token, connect link, response_url or message
 * body. Run at `trace` in HTTP mode and in Socket Mode (where @slack/socket-mode logs every
 * envelope whole at debug), through the SDK lines of src/slack/plumbing/sdk-log-lines.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerIn, composioUserOf, mention } from '../../kit/agent-helpers.js';
import { text } from '../../kit/fake-anthropic/index.js';
import {
  eventsApiEnvelope,
  slashCommandEnvelope,
  startFakeSocketMode,
} from '../../kit/fake-slack/socket-mode.js';
import { type Harness, startHarness } from '../../kit/harness.js';
import { manageConnectionsCall } from '../../kit/tool-calls.js';

const CHANNEL = 'C0LOGPRIV';
const PRIVATE_CHANNEL = 'C0LOGPRIVNOTIN';
const ALICE = 'U0LOGALICE';
const BOB = 'U0LOGBOB';
const APP_TOKEN = 'xapp-1-A0FAKEAPP-1-log-privacy-app-token';

/** A word no log line may hold: it is only ever in a message, a command or a URL. */
const marker = (what: string) => `${what}${randomBytes(6).toString('hex')}`;

/** The lines as written, and every value none of them may contain. */
function expectPrivate(h: Harness, forbidden: string[]) {
  const lines = h.logs.map((l) => JSON.stringify(l));
  // The run did log at trace level, including the Slack SDKs' own debug lines.
  expect(h.logs.filter((l) => l.level === 20 && l.component === 'bolt').length).toBeGreaterThan(0);
  const secrets = [
    h.config.slack.botToken,
    h.signingSecret,
    h.config.anthropic.apiKey,
    h.config.composio.apiKey,
    APP_TOKEN,
  ];
  for (const value of [...forbidden, ...secrets]) {
    const holders = lines.filter((l) => l.includes(value));
    expect(holders, `log lines holding ${value}`).toEqual([]);
  }
  const links = lines.filter((l) => /composio\.dev\/link|\blk_[A-Za-z0-9]/.test(l));
  expect(links).toEqual([]);
}

describe('logs at LOG_LEVEL=trace, HTTP mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { LOG_LEVEL: 'trace' } });
    h.composio.connect(composioUserOf(h, ALICE));
  });
  afterAll(() => h?.stop());

  it('hold no message, response_url, connect link or token', async () => {
    const asked = marker('asked');
    const answered = marker('answered');
    h.anthropic.script({ content: [text(`Here you go: ${answered}.`)] });
    const turn = await mention(h, { user: ALICE, channel: CHANNEL, text: `find ${asked}` });
    await answerIn(h, CHANNEL, turn.threadTs, answered);

    // A command where the bot is not a member: answered through its response_url.
    const commanded = marker('commanded');
    const privately = marker('privately');
    const responseUrl = h.slack.responseUrl(marker('rurl'));
    h.slack.failNext('chat.postMessage', 'not_in_channel');
    h.anthropic.script({ content: [text(`Only for you: ${privately}.`)] });
    await h.requester.command(h.eventsUrl, {
      text: `list ${commanded}`,
      user_id: ALICE,
      channel_id: PRIVATE_CHANNEL,
      response_url: responseUrl,
    });
    await h.slack.waitForResponse((r) => JSON.stringify(r.body).includes(privately));

    // Connect links: from /confluence connect, and from the agent in a shared thread.
    const connectUrl = h.slack.responseUrl(marker('rurl'));
    await h.requester.command(h.eventsUrl, {
      text: 'connect',
      user_id: BOB,
      channel_id: CHANNEL,
      response_url: connectUrl,
    });
    await h.slack.waitForResponse((r) => JSON.stringify(r.body).includes('composio.dev/link'));
    h.anthropic.script(
      { content: [manageConnectionsCall()] },
      { content: [text('Connect first: I sent you a private link.')] },
    );
    const connectTurn = await mention(h, { user: BOB, channel: CHANNEL, text: 'my spaces?' });
    await answerIn(h, CHANNEL, connectTurn.threadTs, 'Connect first');
    expect(h.slack.ephemerals.some((e) => JSON.stringify(e).includes('composio.dev/link'))).toBe(
      true,
    );

    expectPrivate(h, [asked, answered, commanded, privately, responseUrl, connectUrl]);
    // The Web API client's body lines were written, without their bodies.
    expect(h.logs.some((l) => String(l.msg).startsWith('http request body [payload'))).toBe(true);
  });
});

describe('logs at LOG_LEVEL=trace, Socket Mode', () => {
  let h: Harness;
  let slackSide: Awaited<ReturnType<typeof startFakeSocketMode>>;
  beforeAll(async () => {
    slackSide = await startFakeSocketMode();
    h = await startHarness({
      env: { LOG_LEVEL: 'trace', SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: undefined },
      slack: { socketModeUrl: slackSide.url },
    });
    h.composio.connect(composioUserOf(h, ALICE));
  });
  afterAll(async () => {
    await h?.stop();
    await slackSide?.close();
  });

  it('hold no envelope payload, response_url, connect link, ticket or token', async () => {
    const asked = marker('asked');
    const answered = marker('answered');
    const root = h.slack.addMessage({
      channel: CHANNEL,
      user: ALICE,
      text: `<@${h.slack.botUserId}> find ${asked}`,
    });
    h.anthropic.script({ content: [text(`Here you go: ${answered}.`)] });
    slackSide.send(
      eventsApiEnvelope(
        'a1b2c3d4-logs',
        { type: 'app_mention', user: ALICE, text: root.text, ts: root.ts, channel: CHANNEL },
        h.slack.teamId,
      ),
    );
    await answerIn(h, CHANNEL, root.ts, answered);

    const commanded = marker('commanded');
    const privately = marker('privately');
    const responseUrl = h.slack.responseUrl(marker('rurl'));
    h.slack.failNext('chat.postMessage', 'not_in_channel');
    h.anthropic.script({ content: [text(`Only for you: ${privately}.`)] });
    slackSide.send(
      slashCommandEnvelope('b2c3d4e5-logs', {
        teamId: h.slack.teamId,
        channelId: PRIVATE_CHANNEL,
        userId: ALICE,
        text: `list ${commanded}`,
        responseUrl,
      }),
    );
    await h.slack.waitForResponse((r) => JSON.stringify(r.body).includes(privately));

    const connectUrl = h.slack.responseUrl(marker('rurl'));
    slackSide.send(
      slashCommandEnvelope('c3d4e5f6-logs', {
        teamId: h.slack.teamId,
        channelId: CHANNEL,
        userId: BOB,
        text: 'connect',
        responseUrl: connectUrl,
      }),
    );
    await h.slack.waitForResponse((r) => JSON.stringify(r.body).includes('composio.dev/link'));
    await slackSide.waitForFrame((f) => f.envelope_id === 'c3d4e5f6-logs');

    expectPrivate(h, [asked, answered, commanded, privately, responseUrl, connectUrl, 'ticket=']);
    // The envelopes were logged, as their type and id only.
    expect(
      h.logs.some((l) =>
        String(l.msg).startsWith('Received a message on the WebSocket: type events_api'),
      ),
    ).toBe(true);
  });
});
