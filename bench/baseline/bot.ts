import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { App, HTTPReceiver } from '@slack/bolt';
import { buildSystemPrompt } from '../../src/agent/prompt.js';
import type { Config } from '../../src/config.js';
import { createComposio } from '../../src/core.js';
import type { Logger } from '../../src/logger.js';
import { createBoltLogger } from '../../src/slack/plumbing/bolt-logger.js';
import { stripMention } from '../../src/slack/requests/mention.js';
import { createRedisConnection } from '../../src/store/redis-kv.js';
import type { BenchApp } from '../bench-app.js';
import { runBaselineTurn } from './agent.js';

/** Where the baseline keeps a thread's whole conversation (one JSON value, never trimmed). */
export const baselineHistoryKey = (channel: string, threadTs: string) =>
  `baseline:history:${channel}:${threadTs}`;

/**
 * The seed guide's Slack bot, for comparison only: Bolt acknowledges each mention at once and
 * runs the turn in the same process (no queue, no dedupe), through {@link runBaselineTurn},
 * then posts the whole answer with chat.postMessage.
 */
export function createBaselineBot(config: Config, logger: Logger): BenchApp {
  if (!config.redisUrl || !config.slack.signingSecret)
    throw new Error('the baseline bot needs REDIS_URL and SLACK_SIGNING_SECRET');
  const redis = createRedisConnection(config.redisUrl, logger);
  const deps = {
    composio: createComposio(config),
    anthropic: new Anthropic({
      apiKey: config.anthropic.apiKey,
      baseURL: config.anthropic.baseURL ?? null,
    }),
    model: config.anthropic.model,
    system: buildSystemPrompt({ toolkits: config.composio.toolkits }),
    toolkits: config.composio.toolkits,
    maxModelCalls: config.agent.maxTurns,
  };
  const receiver = new HTTPReceiver({
    signingSecret: config.slack.signingSecret,
    endpoints: '/slack/events',
    logger: createBoltLogger(logger),
  });
  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: createBoltLogger(logger),
    clientOptions: config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {},
  });

  app.event('app_mention', async ({ event, body, client }) => {
    const threadTs = event.thread_ts ?? event.ts;
    const key = baselineHistoryKey(event.channel, threadTs);
    try {
      const history = JSON.parse((await redis.get(key)) ?? '[]') as Anthropic.MessageParam[];
      const userId = `slack-${body.team_id}-${event.user}`;
      const turn = await runBaselineTurn(deps, userId, history, stripMention(event.text));
      await redis.set(key, JSON.stringify(turn.messages));
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts: threadTs,
        text: turn.answer,
      });
    } catch (err) {
      logger.error({ err }, 'baseline turn failed');
      await client.chat
        .postMessage({ channel: event.channel, thread_ts: threadTs, text: 'Sorry, that failed.' })
        .catch(() => {});
    }
  });

  return {
    async start() {
      const server = await app.start({ port: config.http.port, host: config.http.host });
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      await app.stop();
      await redis.quit().catch(() => {});
    },
  };
}
