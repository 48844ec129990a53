import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { text } from '../../kit/fake-anthropic/index.js';
import {
  eventsApiEnvelope,
  type Frame,
  startFakeSocketMode,
} from '../../kit/fake-slack/socket-mode.js';
import { type Harness, startHarness } from '../../kit/harness.js';
import { spawnRedis } from '../../kit/redis-server.js';

const CHANNEL = 'C0SOCKET';
const USER = 'U0ALICE';
const APP_TOKEN = 'xapp-1-A0FAKEAPP-1-fake-app-level-token';

describe('Socket Mode', () => {
  let h: Harness;
  let slackSide: Awaited<ReturnType<typeof startFakeSocketMode>>;
  beforeAll(async () => {
    slackSide = await startFakeSocketMode();
    h = await startHarness({
      env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: undefined },
      slack: { socketModeUrl: slackSide.url },
    });
    h.composio.connect(`slack-${h.slack.teamId}-${USER}`);
  });
  afterAll(async () => {
    await h?.stop();
    await slackSide?.close();
  });
  const stopHarness = async () => {
    const running = h;
    h = undefined as unknown as Harness;
    await running.stop();
  };

  it('asks SLACK_API_URL for the WebSocket URL with the app-level token', () => {
    expect(h.config.slack.socketMode).toBe(true);
    const open = h.slack.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ token: APP_TOKEN, result: { ok: true, url: slackSide.url } });
  });

  it('acks an app_mention envelope and answers in the thread', async () => {
    const root = h.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${h.slack.botUserId}> hello over the socket`,
    });
    h.anthropic.script({ content: [text('Hello from Socket Mode.')] });
    const event = {
      type: 'app_mention',
      user: USER,
      text: root.text,
      ts: root.ts,
      channel: CHANNEL,
    };
    slackSide.send(eventsApiEnvelope('1d2c3b4a-envelope', event, h.slack.teamId));

    const ack = await slackSide.waitForFrame((f) => f.envelope_id === '1d2c3b4a-envelope');
    expect(ack).toMatchObject({ envelope_id: '1d2c3b4a-envelope' });
    // The answer may be posted or streamed (chat.startStream…stopStream): look at the thread.
    await vi.waitFor(
      () => {
        const answers = h.slack.messages(CHANNEL, root.ts).filter((m) => m.bot_id);
        expect(answers).toHaveLength(1);
        expect(JSON.stringify(answers[0])).toContain('Hello from Socket Mode.');
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('serves /healthz and /readyz on HOST:PORT, and no Events API endpoint', async () => {
    expect(h.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, store: 'up' });
    expect((await fetch(h.eventsUrl, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('closes the WebSocket on stop', async () => {
    await stopHarness();
    await vi.waitFor(() => expect(slackSide.isClosed()).toBe(true), { timeout: 5_000 });
  });
});

describe('Socket Mode acknowledgement', () => {
  it('acks an Events API envelope only once its turn is on the queue', async () => {
    // A Redis of its own: pausing its writes must not stall other test files.
    const redis = await spawnRedis();
    const slackSide = await startFakeSocketMode();
    const admin = new Redis(redis.url);
    let h: Harness | undefined;
    try {
      h = await startHarness({
        env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: undefined, REDIS_URL: redis.url },
        slack: { socketModeUrl: slackSide.url },
      });
      h.composio.connect(`slack-${h.slack.teamId}-${USER}`);
      const root = h.slack.addMessage({
        channel: CHANNEL,
        user: USER,
        text: `<@${h.slack.botUserId}> queue me first`,
      });
      h.anthropic.script({ content: [text('Queued, then answered.')] });
      const envelope = eventsApiEnvelope(
        '9f8e7d6c-envelope',
        { type: 'app_mention', user: USER, text: root.text, ts: root.ts, channel: CHANNEL },
        h.slack.teamId,
      );
      const eventId = (envelope.payload as Frame).event_id as string;
      // Writes wait while Redis is paused: an ack sent before the turn is queued would arrive
      // while the job cannot exist yet.
      await admin.client('PAUSE', 800, 'WRITE');
      slackSide.send(envelope);
      await slackSide.waitForFrame((f) => f.envelope_id === '9f8e7d6c-envelope');
      expect(await admin.exists(`${h.keyPrefix}:bull:turns:turn-${eventId}`)).toBe(1);
      await h.waitForBotReply(CHANNEL, root.ts, 'Queued, then answered.');
    } finally {
      await h?.stop();
      await slackSide.close();
      await admin.quit();
      await redis.stop();
    }
  });
});
