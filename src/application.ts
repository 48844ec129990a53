import { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import { type CoreOverrides, createCore } from './core.js';
import { healthRoutes } from './http/health-routes.js';
import { startHealthServer } from './http/health-server.js';
import type { Logger } from './logger.js';
import { createSlackApp } from './slack/app.js';
import { createSlackTurnOutput } from './slack/output/slack-turn-output.js';
import { createTurnNotices } from './slack/output/turn-notices.js';
import { settleAfterAck } from './slack/plumbing/after-ack.js';
import { createBoltLogger } from './slack/plumbing/bolt-logger.js';
import { SLACK_CLIENT_OPTIONS } from './slack/plumbing/slack-client-options.js';
import { resolveComposioUserId } from './slack/reads/composio-user.js';
import { createThreadReader } from './slack/reads/thread-reader.js';
import { createUserNames } from './slack/reads/user-names.js';
import { createInProcessDispatcher, type TurnDispatcher } from './turns/dispatcher.js';
import { createDurableDispatcher } from './turns/durable/durable-dispatcher.js';
import { withSubmitFallback } from './turns/submit-fallback.js';

/**
 * Replies after an ack (a command's answer, a button's update) are single Slack calls: a few
 * seconds each at worst, so shutdown waits for them at most this long, whatever the drain.
 */
const AFTER_ACK_SETTLE_MAX_MS = 10_000;

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
  // Turns post through their own client, so a worker needs no Bolt app.
  const slack = new WebClient(config.slack.botToken, {
    ...SLACK_CLIENT_OPTIONS,
    slackApiUrl: config.slack.apiUrl,
    logger: createBoltLogger(logger),
  });
  // Set once the dispatcher exists: the runner hands a command's turn over to its new thread.
  let handOverTo: TurnDispatcher | undefined;
  const core = createCore(
    config,
    logger,
    {
      output: createSlackTurnOutput(slack, logger),
      context: createThreadReader(slack, createUserNames(slack)),
      composioUserIdOf: (request, stores) =>
        resolveComposioUserId(request, { stores, mode: config.composio.userIdMode, slack }),
      handOver: (request) => handOverTo!.submit({ kind: 'turn', request }),
    },
    overrides,
  );
  const composioUserIdOf = (teamId: string, userId: string) =>
    resolveComposioUserId(
      { teamId, userId },
      { stores: core.stores, mode: config.composio.userIdMode, slack },
    );
  const notices = createTurnNotices(slack);
  const durable = config.redisUrl
    ? createDurableDispatcher({
        redisUrl: config.redisUrl,
        keys: core.keys,
        runner: core.runner,
        notices,
        options: config.turns,
        work: config.role !== 'receiver',
        logger,
      })
    : undefined;
  if (!durable)
    logger.warn(
      'Without REDIS_URL turns run in this process only: a turn in flight is lost if the process stops.',
    );
  const dispatcher: TurnDispatcher = withSubmitFallback(
    durable ?? createInProcessDispatcher(core.runner, logger),
    notices,
    logger,
  );
  handOverTo = dispatcher;
  const metrics = durable ? () => durable.metrics() : undefined;

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
          kv: core.kv,
          keys: core.keys,
          metrics,
          listeners: {
            dispatcher,
            turns: core.stores.turns,
            connections: core.connections,
            toolkit: config.composio.toolkits[0] ?? 'confluence',
            composioUserIdOf,
            confluence: core.confluence,
            firstVisit: core.stores.firstVisit,
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
        healthRoutes(core.kv, metrics),
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
        logger.debug('queue closed');
        await core.close();
        logger.debug('mcp and redis closed');
      })();
      return stopped;
    },
  };
}
