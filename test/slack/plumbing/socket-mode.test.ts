import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { text } from '../../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../../kit/harness.js';
import { spawnRedis } from '../../kit/redis-server.js';

const CHANNEL = 'C0SOCKET';
const USER = 'U0ALICE';
const APP_TOKEN = 'xapp-1-A0FAKEAPP-1-fake-app-level-token';

type Frame = Record<string, unknown>;

/** Slack's side of a Socket Mode connection: says hello, sends envelopes, collects acks. */
async function startFakeSocketMode() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const received: Frame[] = [];
  const waiters = new Set<() => void>();
  let socket: WebSocket | undefined;
  let closed = false;
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      received.push(JSON.parse(String(data)) as Frame);
      for (const wake of waiters) wake();
    });
    ws.on('close', () => {
      closed = true;
    });
    // https://docs.slack.dev/apis/events-api/using-socket-mode#connect
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0FAKEAPP' },
      }),
    );
  });
  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=fake-ticket&app_id=A0FAKEAPP`,
    isClosed: () => closed,
    send(frame: Frame) {
      if (!socket) throw new Error('no Socket Mode client connected');
      socket.send(JSON.stringify(frame));
    },
    waitForFrame(predicate: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = received.find(predicate);
          if (!hit) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching frame; got ${JSON.stringify(received)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An `events_api` envelope exactly as Slack sends it over the socket. */
function eventsApiEnvelope(envelopeId: string, event: Frame, teamId: string): Frame {
  const now = Math.floor(Date.now() / 1000);
  return {
    envelope_id: envelopeId,
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: 0,
    retry_reason: '',
    payload: {
      token: 'fake-verification-token',
      team_id: teamId,
      context_team_id: teamId,
      api_app_id: 'A0FAKEAPP',
      event: { event_ts: event.ts, ...event },
      type: 'event_callback',
      event_id: `Ev${envelopeId.slice(0, 8).toUpperCase()}`,
      event_time: now,
      authorizations: [
        { team_id: teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
      event_context: '4-fake',
    },
  };
}

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
