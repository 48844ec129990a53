import type { AddressInfo } from 'node:net';
import { Composio } from '@composio/core';
import { WebClient } from '@slack/web-api';
import { type ComposioLike, createSessionProvider } from './agent/composio-sessions.js';
import { createAnthropicModel, type ModelClient } from './agent/model-client.js';
import { buildSystemPrompt } from './agent/prompt.js';
import type { ConversationMessage } from './agent/types.js';
import { createSlackApp } from './bot/app.js';
import { createBoltLogger } from './bot/bolt-logger.js';
import { resolveComposioUserId } from './bot/composio-user.js';
import { createSlackTurnOutput } from './bot/slack-turn-output.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createKeys } from './store/keys.js';
import type { KeyValueStore } from './store/kv.js';
import { createMemoryKeyValueStore } from './store/memory-kv.js';
import { createRedisConnection, createRedisKeyValueStore } from './store/redis-kv.js';
import { createStores } from './store/stores.js';
import { createInProcessDispatcher } from './turns/dispatcher.js';
import { createTurnRunner } from './turns/run-turn.js';
import type { TurnRecord } from './turns/turn-record.js';

/** A wired, startable instance of the bot. */
export interface Application {
  start(): Promise<{ port: number; host: string }>;
  /** Stops taking work, waits (bounded) for turns in flight, closes MCP and Redis. */
  stop(options?: { drainMs?: number }): Promise<void>;
}

/** Replaceable parts, for tests and benchmarks; production uses the defaults. */
export interface ApplicationOverrides {
  model?: ModelClient;
  composio?: ComposioLike;
  keyPrefix?: string;
  now?: () => Date;
}

function createComposio(config: Config): ComposioLike {
  // Telemetry and the npm version check both phone home; off unless the operator opts in.
  return new Composio({
    apiKey: config.composio.apiKey,
    baseURL: config.composio.baseURL,
    allowTracking: config.composio.telemetry,
    disableVersionCheck: !config.composio.telemetry,
  }) as unknown as ComposioLike;
}

function createKeyValueStore(config: Config, logger: Logger): KeyValueStore {
  if (config.redisUrl)
    return createRedisKeyValueStore(createRedisConnection(config.redisUrl, logger));
  logger.warn(
    'REDIS_URL is not set: using the in-process store. Conversation history is not kept across restarts and is not shared between replicas.',
  );
  return createMemoryKeyValueStore();
}

/** The composition root's wiring: builds every part from the validated configuration. */
export function createApplication(
  config: Config,
  logger: Logger,
  overrides: ApplicationOverrides = {},
): Application {
  const kv = createKeyValueStore(config, logger);
  const keys = createKeys(overrides.keyPrefix);
  const stores = createStores<ConversationMessage, TurnRecord>(kv, keys);
  const sessions = createSessionProvider({
    composio: overrides.composio ?? createComposio(config),
    sessionIds: stores.sessions,
    toolkits: config.composio.toolkits,
    logger,
  });
  const model = overrides.model ?? createAnthropicModel(config.anthropic);
  // Turns post through their own client, so a worker needs no Bolt app (durable turns, later).
  const slack = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: createBoltLogger(logger),
  });
  const runner = createTurnRunner({
    stores,
    sessions,
    model,
    output: createSlackTurnOutput(slack, logger),
    composioUserIdOf: (r) =>
      resolveComposioUserId(r, { stores, mode: config.composio.userIdMode, slack }),
    system: buildSystemPrompt({ toolkits: config.composio.toolkits }),
    maxModelCalls: config.agent.maxTurns,
    historyBudgetTokens: config.agent.historyBudgetTokens,
    toolkits: config.composio.toolkits,
    extraDestructive: new Set(config.agent.destructiveTools),
    logger,
    now: overrides.now,
  });
  const dispatcher = createInProcessDispatcher(runner, logger);
  if (!config.slack.signingSecret)
    throw new Error('Socket Mode is not wired yet; set SLACK_SIGNING_SECRET');
  const app = createSlackApp({
    botToken: config.slack.botToken,
    signingSecret: config.slack.signingSecret,
    apiUrl: config.slack.apiUrl,
    kv,
    keys,
    dispatcher,
    turns: stores.turns,
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
      await sessions.close();
      await kv.close();
    },
  };
}
