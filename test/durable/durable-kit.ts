import { Redis } from 'ioredis';
import { type AppProcess, spawnApp } from '../kit/app-process.js';
import {
  type FakeAnthropic,
  type Responder,
  startFakeAnthropic,
} from '../kit/fake-anthropic/index.js';
import { type FakeComposio, startFakeComposio } from '../kit/fake-composio/index.js';
import {
  createSlackRequester,
  type FakeSlack,
  type SlackRequester,
  startFakeSlack,
} from '../kit/fake-slack/index.js';
import { fakesEnv } from '../kit/fakes-env.js';
import { deletePrefix, randomPrefix, testRedisUrl } from '../kit/redis.js';

export const SIGNING_SECRET = 'durable-secret';

/** Fakes plus a key prefix shared by every app process of one test. */
export interface DurableWorld {
  slack: FakeSlack;
  anthropic: FakeAnthropic;
  composio: FakeComposio;
  requester: SlackRequester;
  prefix: string;
  redis: Redis;
  apps: AppProcess[];
  /** Starts one more app process (instance) on the same Redis and fakes. */
  start(
    name: string,
    extraEnv?: Record<string, string>,
  ): Promise<AppProcess & { eventsUrl: string }>;
  close(): Promise<void>;
}

/** A promise with its resolve function, to hold a fake's answer until a test lets it go. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Starts the fakes; app processes are started per test with `start`. */
export async function startWorld(): Promise<DurableWorld> {
  const [slack, anthropic, composio] = await Promise.all([
    startFakeSlack(),
    startFakeAnthropic(),
    startFakeComposio(),
  ]);
  const prefix = randomPrefix();
  const redis = new Redis(testRedisUrl());
  const apps: AppProcess[] = [];
  return {
    slack,
    anthropic,
    composio,
    requester: createSlackRequester(SIGNING_SECRET),
    prefix,
    redis,
    apps,
    async start(name, extraEnv = {}) {
      const app = spawnApp(name, {
        ...fakesEnv({ slack, anthropic, composio }, SIGNING_SECRET, testRedisUrl()),
        REDIS_KEY_PREFIX: prefix,
        // Short locks so a dead instance's turn is taken over within a few seconds.
        TURN_LOCK_MS: '2000',
        TURN_STALLED_CHECK_MS: '1000',
        LOG_LEVEL: 'info',
        ...extraEnv,
      });
      apps.push(app);
      const port = await app.port();
      return Object.assign(app, { eventsUrl: `http://127.0.0.1:${port}/slack/events` });
    },
    async close() {
      for (const app of apps) app.kill('SIGKILL');
      await Promise.all(apps.map((a) => a.exited));
      await deletePrefix(redis, prefix);
      await redis.quit();
      await Promise.all([slack.close(), anthropic.close(), composio.close()]);
    },
  };
}

/** The app process that started running turn `turnId` (from its "turn started" log). */
export async function runnerOf(apps: AppProcess[], turnId: string): Promise<AppProcess> {
  const started = (l: Record<string, unknown>) => l.msg === 'turn started' && l.turn === turnId;
  return Promise.any(apps.map((a) => a.waitForLog(started, 15_000).then(() => a)));
}

/** What the bot shows in a thread, message by message. */
export function botAnswers(w: DurableWorld, channel: string, ts: string): string[] {
  return w.slack
    .messages(channel, ts)
    .filter((m) => m.bot_id)
    .map((m) => w.slack.visibleText(m));
}

/** Resolves once one of the bot's messages in the thread contains `words`. */
export function answered(
  w: DurableWorld,
  channel: string,
  ts: string,
  words: string,
  timeoutMs = 25_000,
) {
  return w.slack.waitForCall(
    () => botAnswers(w, channel, ts).some((a) => a.includes(words)),
    timeoutMs,
  );
}

/** Posts a human message mentioning the bot (in a thread when given) and delivers its event. */
export async function mentionBot(
  w: DurableWorld,
  to: { eventsUrl: string; channel: string; user: string },
  words: string,
  threadTs?: string,
) {
  const msg = w.slack.addMessage({
    channel: to.channel,
    user: to.user,
    text: `<@${w.slack.botUserId}> ${words}`,
    thread_ts: threadTs,
  });
  const event = {
    type: 'app_mention',
    user: to.user,
    text: msg.text,
    ts: msg.ts,
    channel: to.channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
  const sent = await w.requester.event(to.eventsUrl, event);
  if (sent.status !== 200) throw new Error(`event refused: HTTP ${sent.status}`);
  return { msg, eventId: sent.eventId };
}

/**
 * Scripts the model so that its answer to request number `held` waits until `release()`;
 * `reached` resolves when that request arrives. Other requests are answered by `answer`.
 */
export function holdModelCall(w: DurableWorld, held: number, answer: Responder) {
  const reached = deferred();
  const gate = deferred();
  w.anthropic.respondWith(async (req, index) => {
    if (index === held) {
      reached.resolve();
      await gate.promise;
    }
    return answer(req, index);
  });
  return { reached: reached.promise, release: () => gate.resolve() };
}

/** Kills (SIGKILL unless told) the instance running `turnId` and waits for it to exit. */
export async function killRunner(
  apps: AppProcess[],
  turnId: string,
  signal: NodeJS.Signals = 'SIGKILL',
) {
  const runner = await runnerOf(apps, turnId);
  runner.kill(signal);
  return { runner, code: await runner.exited };
}
