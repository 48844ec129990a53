import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Receiver } from '@slack/bolt';
import { type HealthOptions, healthRoutes } from '../http/health-routes.js';
import { type HealthServer, startHealthServer } from '../http/health-server.js';
import type { Logger } from '../logger.js';
import type { Observability } from '../observability/observability.js';
import type { Keys } from '../store/keys.js';
import type { KeyValueStore } from '../store/kv.js';
import { type ListenerDeps, registerListeners } from './listeners/index.js';
import { createBoltLogger } from './plumbing/bolt-logger.js';
import { createEventDedupe } from './plumbing/dedupe.js';
import { createRequestSpan } from './plumbing/request-span.js';
import { SLACK_CLIENT_OPTIONS } from './plumbing/slack-client-options.js';
import { createSocketModeReceiver } from './plumbing/socket-mode.js';

/** Options for {@link createSlackApp}: Socket Mode when `appToken` is set, HTTP mode otherwise. */
export interface SlackAppOptions {
  botToken: string;
  /** HTTP mode: verifies requests to `POST /slack/events`. */
  signingSecret?: string;
  /** Socket Mode: the app-level token (`xapp-…`); events then arrive over a WebSocket. */
  appToken?: string;
  apiUrl?: string;
  /** Where the HTTP receiver (HTTP mode) or the health server (Socket Mode) listens. */
  port: number;
  host: string;
  kv: KeyValueStore;
  keys: Keys;
  listeners: ListenerDeps;
  /** `/metrics` and the operator view, beside `/healthz` and `/readyz`. */
  health: HealthOptions;
  /** Each request's span and slow acks. */
  observability: Observability;
  logger: Logger;
}

/** A Bolt app with its receiver, started and stopped the same way in both modes. */
export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  /** Starts receiving; resolves with the address the health routes are served on. */
  start(): Promise<{ port: number; host: string }>;
  stop(): Promise<void>;
}

/** Largest request body accepted on /slack/events (Slack's own payloads are far smaller). */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the Bolt app on a receiver: the same middleware, listeners and error boundary in both modes. */
export function createBoltApp(receiver: Receiver, options: SlackAppOptions): App {
  const app = new App({
    token: options.botToken,
    receiver,
    logger: createBoltLogger(options.logger),
    clientOptions: {
      ...SLACK_CLIENT_OPTIONS,
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    },
    // Bolt's in-memory conversation store is per process and unused here: thread state lives
    // in Redis, shared by every replica. Off, it costs no lookup on every event.
    convoStore: false,
  });
  app.use(createRequestSpan(options.observability));
  app.use(createEventDedupe(options.kv, options.keys));
  registerListeners(app, options.listeners);
  app.error(async (err) => {
    options.logger.error({ err }, 'unhandled error in a Slack listener');
  });
  return app;
}

/** HTTP mode: `POST /slack/events` plus the health routes, on one server at host:port. */
function createHttpSlackApp(options: SlackAppOptions & { signingSecret: string }): SlackApp {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: '/slack/events',
    customRoutes: healthRoutes(options.kv, options.health),
    logger: createBoltLogger(options.logger),
    bodyLimit: BODY_LIMIT_BYTES,
    // Events are acknowledged only once the listener has queued the turn: nothing acked is lost.
    processBeforeResponse: true,
  });
  const app = createBoltApp(receiver, options);
  return {
    app,
    mode: 'http',
    async start() {
      const server = await app.start({ port: options.port, host: options.host });
      const { port } = server.address() as AddressInfo;
      options.logger.info({ port, host: options.host, mode: 'http' }, 'listening');
      return { port, host: options.host };
    },
    async stop() {
      await app.stop();
    },
  };
}

/** Socket Mode: events over Slack's WebSocket; health routes on our own server at host:port. */
function createSocketSlackApp(options: SlackAppOptions & { appToken: string }): SlackApp {
  const receiver = createSocketModeReceiver({
    appToken: options.appToken,
    apiUrl: options.apiUrl,
    logger: createBoltLogger(options.logger),
  });
  const app = createBoltApp(receiver, options);
  let health: HealthServer | undefined;
  return {
    app,
    mode: 'socket',
    async start() {
      health = await startHealthServer(
        healthRoutes(options.kv, options.health),
        options.port,
        options.host,
      );
      try {
        await app.start();
      } catch (err) {
        await health.close();
        throw err;
      }
      options.logger.info({ port: health.port, host: options.host, mode: 'socket' }, 'listening');
      return { port: health.port, host: options.host };
    },
    async stop() {
      await receiver.stop();
      await health?.close();
    },
  };
}

/** Builds the Slack side of the bot: Socket Mode when an app token is given, else HTTP mode. */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { appToken, signingSecret } = options;
  if (appToken) return createSocketSlackApp({ ...options, appToken });
  if (!signingSecret) throw new Error('HTTP mode needs a signing secret (or an app token)');
  return createHttpSlackApp({ ...options, signingSecret });
}
