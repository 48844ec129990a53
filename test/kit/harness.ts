import { Redis } from 'ioredis';
import {
  type Application,
  type ApplicationOverrides,
  createApplication,
} from '../../src/application.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type AppState, noAppState, watchAppState } from './app-state.js';
import { type FakeAnthropic, startFakeAnthropic } from './fake-anthropic/index.js';
import { type FakeComposio, startFakeComposio } from './fake-composio/index.js';
import {
  createSlackRequester,
  type FakeSlack,
  type FakeSlackOptions,
  type PostedMessage,
  type SlackRequester,
  startFakeSlack,
} from './fake-slack/index.js';
import { fakesEnv } from './fakes-env.js';
import { deletePrefix, randomPrefix, testRedisUrl } from './redis.js';

/** The real app wired to local fakes of Slack, Anthropic and Composio, and the run's Redis. */
export interface Harness {
  slack: FakeSlack;
  anthropic: FakeAnthropic;
  composio: FakeComposio;
  app: Application;
  config: Config;
  /** Full URL of the app's Events API endpoint. */
  eventsUrl: string;
  /** Base URL of the app (health routes). */
  baseUrl: string;
  requester: SlackRequester;
  signingSecret: string;
  /**
   * Every log line the app wrote, as parsed JSON: for checks on the logs themselves (no
   * secrets, no error lines). Tests wait on state or events instead (`state`, the fakes).
   */
  logs: Array<Record<string, unknown>>;
  /** This harness's random Redis key prefix; its keys are deleted when the harness stops. */
  keyPrefix: string;
  /** The app's state in Redis (turns, queued jobs, handled events); not with `memoryStore`. */
  state: AppState;
  /**
   * Resolves with the bot's message in the thread once its visible text (posted, streamed or
   * updated) contains `contains`.
   */
  waitForBotReply(
    channel: string,
    threadTs: string,
    contains: string,
    timeoutMs?: number,
  ): Promise<PostedMessage>;
  /** The bot's messages in a thread, as a person sees them. */
  botReplies(channel: string, threadTs: string): string[];
  /**
   * Stops the app (as a deploy would) and starts a new instance on the same Redis, key prefix
   * and fakes; `app`, `baseUrl` and `eventsUrl` then point at the new instance.
   */
  restartApp(): Promise<void>;
  /**
   * Starts another instance of the app on the same Redis, key prefix, fakes and log capture
   * (a second replica); it is stopped with the harness.
   */
  startSecondApp(): Promise<{ app: Application; baseUrl: string; eventsUrl: string }>;
  stop(): Promise<void>;
}

/** Options for {@link startHarness}. */
export interface HarnessOptions {
  /** Extra or overriding environment variables for loadConfig. */
  env?: Record<string, string | undefined>;
  /** Use the in-process store instead of Redis. */
  memoryStore?: boolean;
  /** Replaceable app parts (e.g. `toolCallTimeoutMs`); the harness sets `keyPrefix`. */
  overrides?: ApplicationOverrides;
  /** Options for the fake Slack (e.g. `socketModeUrl` for a Socket Mode test). */
  slack?: FakeSlackOptions;
}

/** Boots the fakes and the real app on random loopback ports. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const [slack, anthropic, composio] = await Promise.all([
    startFakeSlack(options.slack),
    startFakeAnthropic(),
    startFakeComposio(),
  ]);
  const signingSecret = 'test-signing-secret';
  const config = loadConfig({
    ...fakesEnv(
      { slack, anthropic, composio },
      signingSecret,
      options.memoryStore ? undefined : testRedisUrl(),
    ),
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: config.logLevel,
    secrets: [
      config.slack.botToken,
      config.slack.appToken ?? '',
      signingSecret,
      config.anthropic.apiKey,
      config.composio.apiKey,
    ],
    destination: {
      write: (line: string) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        logs.push(parsed);
      },
    },
  });
  const keyPrefix = randomPrefix();
  // Read-only view of the app's keys for tests, and the clean-up of the prefix at stop.
  const stateRedis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    : undefined;
  stateRedis?.on('error', () => {});
  const app = createApplication(config, logger, { ...options.overrides, keyPrefix });
  const { port } = await app.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  const replicas: Application[] = [];
  const harness: Harness = {
    slack,
    anthropic,
    composio,
    app,
    config,
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
    requester: createSlackRequester(signingSecret),
    signingSecret,
    logs,
    keyPrefix,
    state: stateRedis ? watchAppState(stateRedis, keyPrefix) : noAppState(),
    botReplies: (channel, threadTs) =>
      slack
        .messages(channel, threadTs)
        .filter((m) => m.bot_id)
        .map((m) => slack.visibleText(m)),
    async waitForBotReply(channel, threadTs, contains, timeoutMs = 10_000) {
      const find = () =>
        slack
          .messages(channel, threadTs)
          .find((m) => m.bot_id && slack.visibleText(m).includes(contains));
      const visible = new Set([
        'chat.postMessage',
        'chat.update',
        'chat.appendStream',
        'chat.stopStream',
        'chat.startStream',
      ]);
      await slack
        .waitForCall((c) => visible.has(c.method) && Boolean(find()), timeoutMs)
        .catch((err: Error) => {
          throw new Error(
            `${err.message}\nbot replies in the thread: ${JSON.stringify(harness.botReplies(channel, threadTs))}`,
          );
        });
      return find()!;
    },
    async restartApp() {
      await harness.app.stop({ drainMs: 2_000 });
      harness.app = createApplication(config, logger, { ...options.overrides, keyPrefix });
      const restarted = await harness.app.start();
      harness.baseUrl = `http://127.0.0.1:${restarted.port}`;
      harness.eventsUrl = `${harness.baseUrl}/slack/events`;
    },
    async startSecondApp() {
      const replica = createApplication(config, logger, { ...options.overrides, keyPrefix });
      replicas.push(replica);
      const started = await replica.start();
      const url = `http://127.0.0.1:${started.port}`;
      return { app: replica, baseUrl: url, eventsUrl: `${url}/slack/events` };
    },
    async stop() {
      await Promise.all([harness.app, ...replicas].map((a) => a.stop({ drainMs: 2_000 })));
      await Promise.all([slack.close(), anthropic.close(), composio.close()]);
      if (stateRedis) {
        await deletePrefix(stateRedis, keyPrefix).catch(() => {});
        stateRedis.disconnect();
      }
    },
  };
  return harness;
}
