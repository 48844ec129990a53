/**
 * Slack's side of Socket Mode for tests: the WebSocket server `apps.connections.open` points the
 * app at (hand its `url` to the fake Slack as `socketModeUrl`), and envelopes in Slack's format.
 * https://docs.slack.dev/apis/events-api/using-socket-mode
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One JSON frame on the socket. */
export type Frame = Record<string, unknown>;

/** Slack's side of a Socket Mode connection: says hello, sends envelopes, collects acks. */
export async function startFakeSocketMode() {
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
export function eventsApiEnvelope(envelopeId: string, event: Frame, teamId: string): Frame {
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

/**
 * A `slash_commands` envelope: the command's form fields as its payload, as SocketModeClient
 * hands them to Bolt (node_modules/@slack/socket-mode/dist/src/SocketModeClient.js, `body`).
 */
export function slashCommandEnvelope(
  envelopeId: string,
  fields: { teamId: string; channelId: string; userId: string; text: string; responseUrl: string },
): Frame {
  return {
    envelope_id: envelopeId,
    type: 'slash_commands',
    accepts_response_payload: true,
    payload: {
      token: 'fake-verification-token',
      team_id: fields.teamId,
      team_domain: 'fake-workspace',
      channel_id: fields.channelId,
      channel_name: 'general',
      user_id: fields.userId,
      user_name: fields.userId.toLowerCase(),
      command: '/confluence',
      text: fields.text,
      api_app_id: 'A0FAKEAPP',
      is_enterprise_install: 'false',
      response_url: fields.responseUrl,
      trigger_id: `${Date.now()}.${envelopeId}`,
    },
  };
}
