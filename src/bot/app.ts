import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { Keys } from '../store/keys.js';
import type { KeyValueStore } from '../store/kv.js';
import type { JsonRecord } from '../store/stores.js';
import type { TurnDispatcher } from '../turns/dispatcher.js';
import type { TurnRecord } from '../turns/turn-record.js';
import { createBoltLogger } from './bolt-logger.js';
import { createEventDedupe } from './dedupe.js';
import { registerListeners } from './listeners/index.js';

/** Options for {@link createSlackApp}. */
export interface SlackAppOptions {
  botToken: string;
  signingSecret: string;
  apiUrl?: string;
  kv: KeyValueStore;
  keys: Keys;
  dispatcher: TurnDispatcher;
  turns: JsonRecord<[turnId: string], TurnRecord>;
  logger: Logger;
}

/** Largest request body accepted on /slack/events (Slack's own payloads are far smaller). */
const BODY_LIMIT_BYTES = 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Health routes: liveness always, readiness only while the store answers. */
export function healthRoutes(kv: KeyValueStore) {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, { ok: true }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        const ready = await Promise.race([
          kv.ping().then(
            () => true,
            () => false,
          ),
          new Promise<boolean>((resolve) => setTimeout(resolve, 1000, false).unref()),
        ]);
        sendJson(res, ready ? 200 : 503, { ok: ready, store: ready ? 'up' : 'down' });
      },
    },
  ];
}

/** Builds the Bolt app in HTTP mode (`POST /slack/events`) with health endpoints. */
export function createSlackApp(options: SlackAppOptions): App {
  const boltLogger = createBoltLogger(options.logger);
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: '/slack/events',
    customRoutes: healthRoutes(options.kv),
    logger: boltLogger,
    bodyLimit: BODY_LIMIT_BYTES,
  });
  const app = new App({
    token: options.botToken,
    receiver,
    logger: boltLogger,
    clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {},
  });
  app.use(createEventDedupe(options.kv, options.keys));
  registerListeners(app, { dispatcher: options.dispatcher, turns: options.turns });
  app.error(async (err) => {
    options.logger.error({ err }, 'unhandled error in a Slack listener');
  });
  return app;
}
