import { Composio } from '@composio/core';
import { createAnthropicModel, type ModelClient } from './agent/model-client.js';
import { observeModel } from './agent/observed-model.js';
import { buildSystemPrompt } from './agent/prompt.js';
import type { ConversationMessage } from './agent/types.js';
import { createConnectionService } from './composio/composio-connections.js';
import {
  type ComposioLike,
  createSessionProvider,
  type SessionProvider,
} from './composio/composio-sessions.js';
import type { ConnectionService } from './composio/connections.js';
import type { Config } from './config.js';
import { type ConfluenceReads, createConfluenceReads } from './confluence/confluence-reads.js';
import type { Logger } from './logger.js';
import { type Observability, quietObservability } from './observability/observability.js';
import { createKeys, type Keys } from './store/keys.js';
import type { KeyValueStore } from './store/kv.js';
import { createMemoryKeyValueStore } from './store/memory-kv.js';
import { createRedisConnection, createRedisKeyValueStore } from './store/redis-kv.js';
import { createStores, type Stores } from './store/stores.js';
import { createUsageStore, type UsageStore } from './store/usage.js';
import { createTurnRunner } from './turns/run-turn.js';
import type { ThreadContextSource } from './turns/thread-context.js';
import type { TurnRunner } from './turns/turn-deps.js';
import type { FileSource } from './turns/turn-files.js';
import type { TurnOutput } from './turns/turn-output.js';
import type { TurnRecord } from './turns/turn-record.js';
import type { TurnRequest } from './turns/turn-request.js';

/** Replaceable parts, for tests and benchmarks; production uses the defaults. */
export interface CoreOverrides {
  model?: ModelClient;
  composio?: ComposioLike;
  keyPrefix?: string;
  now?: () => Date;
  /** Per MCP tool call; longer calls become error results (default 60 s). */
  toolCallTimeoutMs?: number;
}

/** How the front end (Slack, or the terminal chat) plugs into the core. */
export interface CoreFrontEnd {
  output: TurnOutput;
  /** Reads thread messages for context (Slack); the terminal chat has none. */
  context?: ThreadContextSource;
  composioUserIdOf(
    request: TurnRequest,
    stores: Stores<ConversationMessage, TurnRecord, TurnRequest>,
  ): Promise<string>;
  /** Queues an announced request as a turn of its new thread (see TurnDeps.handOver). */
  handOver?(request: TurnRequest): Promise<void>;
  /** Fetches files attached to requests (Slack); the terminal chat has none. */
  files?: FileSource;
  /** Where metrics and spans go; without it, a registry nobody reads and no traces. */
  observability?: Observability;
}

/** The agent, its stores and sessions: everything a turn needs, whatever surface asked. */
export interface Core {
  kv: KeyValueStore;
  keys: Keys;
  stores: Stores<ConversationMessage, TurnRecord, TurnRequest>;
  sessions: SessionProvider;
  /** Connection status, links and removal without the model (slash command, App Home). */
  connections: ConnectionService;
  /** Confluence reads with each person's own connection (forms, approval prompts). */
  confluence: ConfluenceReads;
  runner: TurnRunner;
  /** Token usage per Composio user and day, priced (status, operator view). */
  usage: UsageStore;
  observability: Observability;
  close(): Promise<void>;
}

/** Creates the Composio client; telemetry and the npm version check stay off unless opted in. */
export function createComposio(config: Config): ComposioLike {
  return new Composio({
    apiKey: config.composio.apiKey,
    baseURL: config.composio.baseURL,
    allowTracking: config.composio.telemetry,
    disableVersionCheck: !config.composio.telemetry,
  });
}

/** Redis when REDIS_URL is set; otherwise the in-process store, with a warning. */
export function createKeyValueStore(config: Config, logger: Logger): KeyValueStore {
  if (config.redisUrl)
    return createRedisKeyValueStore(createRedisConnection(config.redisUrl, logger));
  logger.warn(
    'REDIS_URL is not set: using the in-process store. Conversation history is not kept across restarts and is not shared between replicas.',
  );
  return createMemoryKeyValueStore();
}

/** Wires stores, Composio sessions, the model and the turn runner from the configuration. */
export function createCore(
  config: Config,
  logger: Logger,
  frontEnd: CoreFrontEnd,
  overrides: CoreOverrides = {},
): Core {
  const kv = createKeyValueStore(config, logger);
  const keys = createKeys(overrides.keyPrefix ?? config.redisKeyPrefix);
  const stores = createStores<ConversationMessage, TurnRecord, TurnRequest>(kv, keys);
  const composio = overrides.composio ?? createComposio(config);
  const sessions = createSessionProvider({
    composio,
    sessionIds: stores.sessions,
    toolkits: config.composio.toolkits,
    logger,
    toolCallTimeoutMs: overrides.toolCallTimeoutMs,
  });
  const connections = createConnectionService({
    composio,
    sessionIds: stores.sessions,
    toolkits: config.composio.toolkits,
    logger,
  });
  const confluence = createConfluenceReads(sessions, logger);
  const observability = frontEnd.observability ?? quietObservability();
  const usage = createUsageStore(kv, keys, config.prices, overrides.now);
  const runner = createTurnRunner({
    stores,
    sessions,
    confluence,
    model: observeModel(overrides.model ?? createAnthropicModel(config.anthropic), observability),
    observability,
    usage,
    output: frontEnd.output,
    context: frontEnd.context,
    files: frontEnd.files && { source: frontEnd.files, limits: config.files },
    composioUserIdOf: (request) => frontEnd.composioUserIdOf(request, stores),
    handOver: frontEnd.handOver,
    system: buildSystemPrompt({ toolkits: config.composio.toolkits }),
    maxModelCalls: config.agent.maxTurns,
    historyBudgetTokens: config.agent.historyBudgetTokens,
    toolkits: config.composio.toolkits,
    extraDestructive: new Set(config.agent.destructiveTools),
    logger,
    now: overrides.now,
  });
  return {
    kv,
    keys,
    stores,
    sessions,
    connections,
    confluence,
    runner,
    usage,
    observability,
    async close() {
      await sessions.close();
      await kv.close();
    },
  };
}
