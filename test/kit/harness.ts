import { EventEmitter } from 'node:events';
import { type Application, createApplication } from '../../src/application.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type FakeAnthropic, startFakeAnthropic } from './fake-anthropic/index.js';
import { type FakeComposio, startFakeComposio } from './fake-composio/index.js';
import {
  createSlackRequester,
  type FakeSlack,
  type SlackRequester,
  startFakeSlack,
} from './fake-slack/index.js';
import { randomPrefix, testRedisUrl } from './redis.js';

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
  /** Every log line the app wrote, as parsed JSON. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line (past or future) matching `predicate`. */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  keyPrefix: string;
  stop(): Promise<void>;
}

/** Options for {@link startHarness}. */
export interface HarnessOptions {
  /** Extra or overriding environment variables for loadConfig. */
  env?: Record<string, string | undefined>;
  /** Use the in-process store instead of Redis. */
  memoryStore?: boolean;
}

/** Boots the fakes and the real app on random loopback ports. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const [slack, anthropic, composio] = await Promise.all([
    startFakeSlack(),
    startFakeAnthropic(),
    startFakeComposio(),
  ]);
  const signingSecret = 'test-signing-secret';
  const config = loadConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    ANTHROPIC_API_KEY: anthropic.apiKey,
    ANTHROPIC_BASE_URL: anthropic.url,
    COMPOSIO_API_KEY: composio.apiKey,
    COMPOSIO_BASE_URL: composio.url,
    REDIS_URL: options.memoryStore ? undefined : testRedisUrl(),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const logEvents = new EventEmitter();
  const logger = createLogger({
    level: config.logLevel,
    secrets: [
      config.slack.botToken,
      signingSecret,
      config.anthropic.apiKey,
      config.composio.apiKey,
    ],
    destination: {
      write: (line: string) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        logs.push(parsed);
        logEvents.emit('line', parsed);
      },
    },
  });
  const waitForLog: Harness['waitForLog'] = (predicate, timeoutMs = 5_000) => {
    const seen = logs.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        logEvents.off('line', onLine);
        reject(
          new Error(
            `no matching log line within ${timeoutMs} ms; last lines:\n${logs
              .slice(-10)
              .map((l) => JSON.stringify(l))
              .join('\n')}`,
          ),
        );
      }, timeoutMs);
      const onLine = (line: Record<string, unknown>) => {
        if (!predicate(line)) return;
        clearTimeout(timer);
        logEvents.off('line', onLine);
        resolve(line);
      };
      logEvents.on('line', onLine);
    });
  };
  const keyPrefix = randomPrefix();
  const app = createApplication(config, logger, { keyPrefix });
  const { port } = await app.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
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
    waitForLog,
    keyPrefix,
    async stop() {
      await app.stop({ drainMs: 2_000 });
      await Promise.all([slack.close(), anthropic.close(), composio.close()]);
    },
  };
}
