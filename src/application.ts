import type { Config } from './config.js';
import { createLinkPreviews } from './confluence/link-previews.js';
import { type CoreOverrides, createCore } from './core.js';
import { healthRoutes } from './http/health-routes.js';
import { startHealthServer } from './http/health-server.js';
import type { Logger } from './logger.js';
import { createMetrics } from './observability/metrics.js';
import type { Observability } from './observability/observability.js';
import { createTracing } from './observability/tracing.js';
import { createSlackApp } from './slack/app.js';
import { createPrivateReplies } from './slack/output/response-url.js';
import { createSlackSubscriptionOutput } from './slack/output/slack-subscription-output.js';
import { createSlackTurnOutput } from './slack/output/slack-turn-output.js';
import { createTurnNotices } from './slack/output/turn-notices.js';
import { settleAfterAck } from './slack/plumbing/after-ack.js';
import { createBoltLogger } from './slack/plumbing/bolt-logger.js';
import { ObservedWebClient } from './slack/plumbing/observed-web-client.js';
import { SLACK_CLIENT_OPTIONS } from './slack/plumbing/slack-client-options.js';
import { resolveComposioUserId } from './slack/reads/composio-user.js';
import { createFileReader, SLACK_FILES_ORIGIN } from './slack/reads/file-reader.js';
import { createMemberCheck } from './slack/reads/member-check.js';
import { createThreadReader } from './slack/reads/thread-reader.js';
import { createUserNames } from './slack/reads/user-names.js';
import type { KeyValueStore } from './store/kv.js';
import { createRedisConnection, createRedisKeyValueStore } from './store/redis-kv.js';
import {
  ACK_STEP_TIMEOUT_MS,
  createStallGuard,
  guardKeyValueStore,
  type StallGuard,
} from './store/stall-guard.js';
import { createStores, type Stores } from './store/stores.js';
import { createSubscriptionRuntime } from './subscriptions/subscription-runtime.js';
import { createInProcessDispatcher, type TurnDispatcher } from './turns/dispatcher.js';
import { createDurableDispatcher } from './turns/durable/durable-dispatcher.js';
import { withSubmitFallback } from './turns/submit-fallback.js';
import { traceDispatcher, traceRunner } from './turns/traced-turns.js';
import type { TurnRecord } from './turns/turn-record.js';

/**
 * Replies after an ack (a command's answer, a button's update) are single Slack calls: a few
 * seconds each at worst, so shutdown waits for them at most this long, whatever the drain.
 */
const AFTER_ACK_SETTLE_MAX_MS = 10_000;

/**
 * Where the bot token may be sent for a file's bytes: Slack's file host, and the Web API's own
 * host when SLACK_API_URL points elsewhere (a proxy, or the tests' fake Slack).
 */
function fileOrigins(config: Config): string[] {
  const api = config.slack.apiUrl ? new URL(config.slack.apiUrl).origin : undefined;
  return [SLACK_FILES_ORIGIN, ...(api ? [api] : [])];
}

/** A wired, startable instance of the bot. */
export interface Application {
  start(): Promise<{ port: number; host: string }>;
  /** Stops taking work, waits (bounded) for turns in flight, closes MCP and Redis. */
  stop(options?: { drainMs?: number }): Promise<void>;
}

/** Replaceable parts, for tests and benchmarks; production uses the defaults. */
export type ApplicationOverrides = CoreOverrides;

/** The Slack bot: the core, the turn dispatcher, and (unless worker-only) the Bolt app. */
export function createApplication(
  config: Config,
  logger: Logger,
  overrides: ApplicationOverrides = {},
): Application {
  // One registry and tracer per instance: every part reports into them.
  const tracing = createTracing(config.tracing);
  const observability: Observability = { metrics: createMetrics(), tracer: tracing.tracer };
  // Turns post through their own client, so a worker needs no Bolt app.
  const slack = new ObservedWebClient(
    config.slack.botToken,
    { ...SLACK_CLIENT_OPTIONS, slackApiUrl: config.slack.apiUrl, logger: createBoltLogger(logger) },
    observability,
  );
  // Set once the dispatcher exists: the runner hands a command's turn over to its new thread.
  let handOverTo: TurnDispatcher | undefined;
  const ack = createAckPath(config, logger);
  // The stores the ack path reads and writes: over its own bounded connection where there is
  // one (a hanging Redis must not hold an ack), else the core's. Made at the first use, once
  // the core exists.
  let ackStores: Pick<Stores<unknown, TurnRecord>, 'turns' | 'responseUrlUses'> | undefined;
  const ackPathStores = () => {
    ackStores ??= ack.kv ? createStores<unknown, TurnRecord>(ack.kv, core.keys) : core.stores;
    return ackStores;
  };
  // A "try again" notice goes out before the ack, so its response_url use is counted there.
  const responseUrlUses = (url: string, n: number) => ackPathStores().responseUrlUses(url, n);
  const privately = createPrivateReplies(slack, { add: responseUrlUses }, logger);
  const core = createCore(
    config,
    logger,
    {
      output: createSlackTurnOutput(slack, logger, privately),
      context: createThreadReader(slack, createUserNames(slack)),
      files: createFileReader(slack, config.slack.botToken, fileOrigins(config)),
      composioUserIdOf: (request, stores) =>
        resolveComposioUserId(request, { stores, mode: config.composio.userIdMode, slack }),
      handOver: (request) => handOverTo!.submit({ kind: 'turn', request }),
      observability,
    },
    overrides,
  );
  const composioUserIdOf = (teamId: string, userId: string) =>
    resolveComposioUserId(
      { teamId, userId },
      { stores: core.stores, mode: config.composio.userIdMode, slack },
    );
  const notices = createTurnNotices(slack, privately);
  const runner = traceRunner(core.runner, tracing.tracer);
  const durable = config.redisUrl
    ? createDurableDispatcher({
        redisUrl: config.redisUrl,
        keys: core.keys,
        runner,
        metrics: observability.metrics,
        notices,
        options: config.turns,
        work: config.role !== 'receiver',
        stallGuard: ack.guard,
        logger,
      })
    : undefined;
  if (!durable)
    logger.warn(
      'Without REDIS_URL turns run in this process only: a turn in flight is lost if the process stops.',
    );
  const dispatcher: TurnDispatcher = withSubmitFallback(
    traceDispatcher(
      durable ?? createInProcessDispatcher(runner, logger, observability.metrics),
      tracing.tracer,
    ),
    notices,
    logger,
  );
  handOverTo = dispatcher;
  const subs = createSubscriptionRuntime({
    kv: core.kv,
    keys: core.keys,
    sessions: core.sessions,
    output: createSlackSubscriptionOutput(slack, logger),
    pollMs: config.subscriptions.pollMs,
    redisUrl: config.redisUrl,
    work: config.role !== 'receiver',
    metrics: observability.metrics,
    // Asked again every ten polls: one users.info per owner per ten minutes by default.
    ownerPresent: createMemberCheck(slack, logger, config.subscriptions.pollMs * 10),
    logger,
  });
  const health = {
    registry: observability.metrics.registry,
    operator: config.operatorToken ? { token: config.operatorToken, usage: core.usage } : undefined,
  };

  const slackApp =
    config.role === 'worker'
      ? undefined
      : createSlackApp({
          botToken: config.slack.botToken,
          signingSecret: config.slack.signingSecret,
          appToken: config.slack.socketMode ? config.slack.appToken : undefined,
          apiUrl: config.slack.apiUrl,
          port: config.http.port,
          host: config.http.host,
          kv: ack.kv ?? core.kv,
          keys: core.keys,
          health,
          observability,
          listeners: {
            dispatcher,
            // An approval click reads its turn before the ack: through the ack path's store.
            turns: ackPathStores().turns,
            connections: core.connections,
            toolkit: config.composio.toolkits[0] ?? 'confluence',
            composioUserIdOf,
            confluence: core.confluence,
            linkPreviews: createLinkPreviews({
              sessions: core.sessions,
              kv: core.kv,
              keys: core.keys,
              excerpts: config.linkPreviews.excerpts,
              logger,
            }),
            previewDomains: config.linkPreviews.domains,
            firstVisit: core.stores.firstVisit,
            subscriptions: subs.subscriptions,
            usage: core.usage,
          },
          logger,
        });
  let workerHealth: Awaited<ReturnType<typeof startHealthServer>> | undefined;
  let stopped: Promise<void> | undefined;

  return {
    async start() {
      if (slackApp) return slackApp.start();
      // Worker-only: no Slack endpoint, but the same health routes for the orchestrator.
      workerHealth = await startHealthServer(
        healthRoutes(core.kv, health),
        config.http.port,
        config.http.host,
      );
      logger.info({ port: workerHealth.port, host: config.http.host, role: 'worker' }, 'listening');
      return { port: workerHealth.port, host: config.http.host };
    },
    stop(options = {}) {
      // Once only: a second signal, or a caller stopping it again, waits for the same shutdown.
      stopped ??= (async () => {
        const drainMs = options.drainMs ?? config.shutdownDrainMs;
        const { unfinished } = await dispatcher.drain(drainMs);
        if (unfinished)
          logger.warn(
            { unfinished },
            'stopping with turns still in flight; another instance will resume them',
          );
        logger.debug('turns drained');
        await slackApp?.stop();
        logger.debug('slack receiver stopped');
        // Replies to commands, the shortcut and buttons still on their way (after their ack).
        await settleAfterAck(Math.min(drainMs, AFTER_ACK_SETTLE_MAX_MS));
        await workerHealth?.close();
        await durable?.close();
        await subs.close();
        await ack.kv?.close();
        logger.debug('queue closed');
        await core.close();
        logger.debug('mcp and redis closed');
        // Spans still buffered go out last (a turn's final spans end just above).
        await tracing.shutdown().catch((err) => logger.warn({ err }, 'could not flush traces'));
      })();
      return stopped;
    },
  };
}

/**
 * With Redis, the store Slack's ack path uses (the event claim, a record read by a button): its
 * own connection, whose commands give up after ACK_STEP_TIMEOUT_MS, and the process's memory of
 * a stalled Redis, shared with the durable submit. Without Redis the core's store serves.
 */
function createAckPath(config: Config, logger: Logger): { kv?: KeyValueStore; guard: StallGuard } {
  if (!config.redisUrl) return { guard: createStallGuard(async () => {}, logger) };
  const redis = createRedisConnection(config.redisUrl, logger, {
    commandTimeoutMs: ACK_STEP_TIMEOUT_MS,
  });
  const guard = createStallGuard(() => redis.ping(), logger.child({ component: 'ack-path' }));
  return { kv: guardKeyValueStore(createRedisKeyValueStore(redis), guard), guard };
}
