import { WebClient } from '@slack/web-api';
import { createSlackApp } from './bot/app.js';
import { createBoltLogger } from './bot/bolt-logger.js';
import { resolveComposioUserId } from './bot/composio-user.js';
import { createSlackTurnOutput } from './bot/slack-turn-output.js';
import { listSpaces } from './bot/spaces.js';
import { createThreadReader } from './bot/thread-reader.js';
import { createUserNames } from './bot/user-names.js';
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
      context: createThreadReader(slack, createUserNames(slack)),
      composioUserIdOf: (request, stores) =>
        resolveComposioUserId(request, { stores, mode: config.composio.userIdMode, slack }),
    },
    overrides,
  );
  const composioUserIdOf = (teamId: string, userId: string) =>
    resolveComposioUserId(
      { teamId, userId },
      { stores: core.stores, mode: config.composio.userIdMode, slack },
    );
  const dispatcher = createInProcessDispatcher(core.runner, logger);
  const slackApp = createSlackApp({
    botToken: config.slack.botToken,
    signingSecret: config.slack.signingSecret,
    appToken: config.slack.socketMode ? config.slack.appToken : undefined,
    apiUrl: config.slack.apiUrl,
    port: config.http.port,
    host: config.http.host,
    kv: core.kv,
    keys: core.keys,
    listeners: {
      dispatcher,
      turns: core.stores.turns,
      connections: core.connections,
      toolkit: config.composio.toolkits[0] ?? 'confluence',
      composioUserIdOf,
      spacesOf: async (composioUserId) =>
        listSpaces((await core.sessions.forUser(composioUserId)).host),
      firstVisit: (teamId, userId) =>
        core.kv.setIfAbsent(core.keys.greeted(teamId, userId), '1', 365 * 24 * 3600),
    },
    logger,
  });

  return {
    // HTTP mode: events and health on one server; Socket Mode: health only (events come over the WebSocket).
    start: () => slackApp.start(),
    async stop(options = {}) {
      const { unfinished } = await dispatcher.drain(options.drainMs ?? 25_000);
      if (unfinished) logger.warn({ unfinished }, 'stopping with turns still in flight');
      await slackApp.stop();
      await core.close();
    },
  };
}
