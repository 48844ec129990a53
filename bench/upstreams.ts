import { Redis } from 'ioredis';
import { type FakeAnthropic, startFakeAnthropic } from '../test/kit/fake-anthropic/index.js';
import { type FakeComposio, startFakeComposio } from '../test/kit/fake-composio/index.js';
import type { ServedExchange } from '../test/kit/fake-served.js';
import { type FakeSlack, startFakeSlack } from '../test/kit/fake-slack/index.js';
import { fakesEnv } from '../test/kit/fakes-env.js';
import { spawnRedis } from '../test/kit/redis-server.js';
import { benchResponder } from './model-script.js';
import type { LatencyProfile } from './options.js';

/** The signing secret the benchmark's Slack requests are signed with. */
export const SIGNING_SECRET = 'bench-signing-secret';

/** Every upstream the bot talks to, local: fake Slack, Anthropic and Composio, a private Redis. */
export interface Upstreams {
  slack: FakeSlack;
  anthropic: FakeAnthropic;
  composio: FakeComposio;
  redis: Awaited<ReturnType<typeof spawnRedis>>;
  /** Exchanges the fakes served (Composio's long-lived MCP GET streams left out). */
  exchanges: ServedExchange[];
  setLatency(profile: LatencyProfile): void;
  /** Commands redis-server has run so far, by name (`INFO commandstats`: those inside scripts too; our INFO left out). */
  redisCommands(): Promise<Record<string, number>>;
  /** Empties the fakes' call logs (long runs: the benchmark process must not grow). */
  forgetCalls(): void;
  /** The environment that points the app at these upstreams. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Resolves once no exchange has finished for `quietMs` (bounded by `maxMs`). */
  settle(quietMs?: number, maxMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** True for an exchange the bot waits on (not Composio's server-to-client MCP stream). */
const awaited = (e: ServedExchange) => !(e.fake === 'composio' && e.method === 'GET');

/** Starts fresh fakes (with the benchmark's model script) and a private redis-server. */
export async function startUpstreams(): Promise<Upstreams> {
  const [slack, anthropic, composio, redis] = await Promise.all([
    startFakeSlack(),
    startFakeAnthropic(),
    startFakeComposio(),
    spawnRedis(),
  ]);
  anthropic.respondWith(benchResponder());
  // One connection of the bench's own, asking only INFO, which the count leaves out.
  const counter = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const exchanges: ServedExchange[] = [];
  let lastAt = performance.now();
  const record = (e: ServedExchange) => {
    lastAt = performance.now();
    if (awaited(e)) exchanges.push(e);
  };
  const unsubscribe = [slack.onServed(record), anthropic.onServed(record)];
  unsubscribe.push(composio.onServed(record));
  return {
    slack,
    anthropic,
    composio,
    redis,
    exchanges,
    setLatency(p) {
      anthropic.setLatency(p.modelMs);
      composio.setToolDelay(p.toolMs);
      composio.setLatency({ rest: p.composioMs, mcp: p.composioMs });
      slack.setLatency(p.slackMs);
    },
    async redisCommands() {
      const stats = await counter.info('commandstats');
      const byName: Record<string, number> = {};
      for (const [, name, calls] of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
        if (name !== 'info') byName[name!] = Number(calls);
      return byName;
    },
    forgetCalls() {
      // Only between turns: nothing in flight may still need its recorded request.
      for (const log of [
        exchanges,
        anthropic.requests,
        slack.calls,
        composio.restCalls,
        composio.mcpCalls,
      ] as unknown[][])
        log.length = 0;
    },
    env: (extra = {}) => ({
      ...fakesEnv({ slack, anthropic, composio }, SIGNING_SECRET, redis.url),
      ...extra,
    }),
    async settle(quietMs = 30, maxMs = 1_000) {
      const until = performance.now() + maxMs;
      while (performance.now() < until && performance.now() - lastAt < quietMs) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      for (const off of unsubscribe) off();
      counter.disconnect();
      await Promise.all([slack.close(), anthropic.close(), composio.close()]);
      await redis.stop();
    },
  };
}
