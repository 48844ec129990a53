import { Redis } from 'ioredis';
import { type AppProcess, type RunningApp, startApp } from '../kit/app-process.js';
import { type AppState, watchAppState } from '../kit/app-state.js';
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
import { waitUntil } from '../kit/wait.js';

export const SIGNING_SECRET = 'durable-secret';

/** Fakes plus a key prefix shared by every app process of one test. */
export interface DurableWorld {
  slack: FakeSlack;
  anthropic: FakeAnthropic;
  composio: FakeComposio;
  requester: SlackRequester;
  prefix: string;
  redis: Redis;
  /** The apps' shared state in Redis (turns, counters). */
  state: AppState;
  apps: AppProcess[];
  /**
   * Starts one more app process (instance) on the same Redis and fakes; it reaches the fake
   * model through `/via/<name>`, so each model request names the process that sent it.
   */
  start(name: string, extraEnv?: Record<string, string>): Promise<RunningApp>;
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
    state: watchAppState(redis, prefix),
    apps,
    async start(name, extraEnv = {}) {
      const app = await startApp(name, {
        ...fakesEnv({ slack, anthropic, composio }, SIGNING_SECRET, testRedisUrl()),
        ANTHROPIC_BASE_URL: `${anthropic.url}/via/${name}`,
        REDIS_KEY_PREFIX: prefix,
        // Short locks so a dead instance's turn is taken over within a few seconds.
        TURN_LOCK_MS: '2000',
        TURN_STALLED_CHECK_MS: '1000',
        LOG_LEVEL: 'info',
        ...extraEnv,
      });
      apps.push(app);
      return app;
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

/** Whether a model request asks (in its latest message) for `words`. */
const asks = (body: { messages: unknown[] }, words: string) =>
  JSON.stringify(body.messages.at(-1)).includes(words);

/** The names of the processes that sent model requests asking for `words`, in order. */
export function modelCallersFor(w: DurableWorld, words: string): string[] {
  return w.anthropic.requests.filter((r) => asks(r.body, words)).map((r) => r.via ?? '?');
}

/** The app process that runs the turn asking for `words`: the sender of its latest model request. */
export async function runnerOf(
  w: DurableWorld,
  apps: AppProcess[],
  words: string,
): Promise<AppProcess> {
  const name = await waitUntil(`a model request asking for "${words}"`, () =>
    modelCallersFor(w, words).at(-1),
  );
  const runner = apps.find((a) => a.name === name);
  if (!runner) throw new Error(`no app named ${name} among ${apps.map((a) => a.name)}`);
  return runner;
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

/** Kills (SIGKILL unless told) the instance running the turn asking for `words`; waits for its exit. */
export async function killRunner(
  w: DurableWorld,
  apps: AppProcess[],
  words: string,
  signal: NodeJS.Signals = 'SIGKILL',
) {
  const runner = await runnerOf(w, apps, words);
  runner.kill(signal);
  return { runner, code: await runner.exited };
}
