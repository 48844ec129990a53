import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { createSlackApp } from './bot/app.js';
import { createBoltLogger } from './bot/bolt-logger.js';
import { resolveComposioUserId } from './bot/composio-user.js';
import { createSlackTurnOutput } from './bot/slack-turn-output.js';
import type { Config } from './config.js';
import { type CoreOverrides, createCore } from './core.js';
import type { Logger } from './logger.js';
import { createInProcessDispatcher } from './turns/dispatcher.js';

/** A wired, startable instance of the bot. */
export interface Application {
  start(): Promise<{ port: number; host: string }>;
  /** Stops taking work, waits (bounded) for turns in flight, closes MCP and Redis. */
  stop(options?: { drainMs?: number }): Promise<void>;
}

/** Replaceable parts, for tests and benchmarks; production uses the defaults. */
export type ApplicationOverrides = CoreOverrides;

/** The Slack bot: the core plus the Bolt app that feeds it. */
export function createApplication(
  config: Config,
  logger: Logger,
  overrides: ApplicationOverrides = {},
): Application {
  // Turns post through their own client, so a worker needs no Bolt app (durable turns, later).
  const slack = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: createBoltLogger(logger),
  });
  const core = createCore(
    config,
    logger,
    {
      output: createSlackTurnOutput(slack, logger),
      composioUserIdOf: (request, stores) =>
        resolveComposioUserId(request, { stores, mode: config.composio.userIdMode, slack }),
    },
    overrides,
  );
  const dispatcher = createInProcessDispatcher(core.runner, logger);
  if (!config.slack.signingSecret)
    throw new Error('Socket Mode is not wired yet; set SLACK_SIGNING_SECRET');
  const app = createSlackApp({
    botToken: config.slack.botToken,
    signingSecret: config.slack.signingSecret,
    apiUrl: config.slack.apiUrl,
    kv: core.kv,
    keys: core.keys,
    dispatcher,
    turns: core.stores.turns,
    logger,
  });

  return {
    async start() {
      const server = await app.start({ port: config.http.port, host: config.http.host });
      const address = server.address() as AddressInfo;
      logger.info({ port: address.port, host: config.http.host, mode: 'http' }, 'listening');
      return { port: address.port, host: config.http.host };
    },
    async stop(options = {}) {
      const { unfinished } = await dispatcher.drain(options.drainMs ?? 25_000);
      if (unfinished) logger.warn({ unfinished }, 'stopping with turns still in flight');
      await app.stop();
      await core.close();
    },
  };
}
