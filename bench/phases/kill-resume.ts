import { setTimeout as sleep } from 'node:timers/promises';
import { type AppChild, startAppChild } from '../app-child.js';
import { eventSender } from '../driver.js';
import { benchResponder } from '../model-script.js';
import { type Summary, summarise } from '../stats.js';
import type { PhaseContext } from './context.js';

/** How long a turn waits, after its process is killed, before another process resumes it. */
export interface KillResumeResult {
  /** Rounds tried (`--kills`). */
  rounds: number;
  /** SIGKILL of the turn's process → the surviving process sends the turn's model request again. */
  resumed: Summary;
  /** SIGKILL → the answer complete in the thread. */
  answered: Summary;
  /** Rounds that did not resume or answer within their bound, and why. */
  failures: string[];
  /** Error lines the replicas logged (the killed ones' included). */
  appErrors: { count: number; first: string[] };
}

const CHANNEL = 'CBENCHKILL';
/** The replicas' own queue and state, apart from the main app process's (which keeps running). */
const PREFIX = 'benchkill';
/** Replica names start with this; the fake model tells their requests apart by it. */
const NAME = 'kill-r';
/**
 * Each round's model call lasts a different time before the kill, spread evenly over this: a
 * real model call lasts seconds, so a crash lands at any age of the job's lock and any phase of
 * the stalled-job checks. Killed at the call's start, every round would see a fresh lock and
 * the same phase (the rounds follow each other at a steady pace), so one figure repeated.
 */
const SPREAD_MS = 6_000;
const REACH_MS = 30_000;
const RESUME_MS = 60_000;

/** One round's view of the model requests: the held one (by whom), and its resumption. */
interface Round {
  heldBy?: string;
  reached: Promise<string>;
  reach(by: string): void;
  resumed: Promise<number>;
  resume(atMs: number): void;
  /** Lets the held request answer (to the dead process: nobody reads it). */
  release(): void;
  released: Promise<void>;
}

function newRound(): Round {
  let reach!: (by: string) => void;
  let resume!: (atMs: number) => void;
  let release!: () => void;
  const reached = new Promise<string>((r) => {
    reach = r;
  });
  const resumed = new Promise<number>((r) => {
    resume = r;
  });
  const released = new Promise<void>((r) => {
    release = r;
  });
  return { reached, reach, resumed, resume, released, release };
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Two replicas of the bot with the default durable settings (no TURN_* variables) share the
 * upstreams and a queue of their own. Each round: a mention; its first model request is held
 * in the fake model; after a while (SPREAD_MS) the process that sent it is SIGKILLed; the round times the kill until the
 * other process sends that request again (the turn resumed) and until the answer is complete;
 * then a fresh replica replaces the killed one. A round that does not resume within 60 s is
 * a failure, reported, and the next round goes on.
 */
export async function measureKillResume(ctx: PhaseContext): Promise<KillResumeResult> {
  const { up, options } = ctx;
  up.setLatency(options.costLatency);
  const bench = benchResponder();
  let round: Round | undefined;
  up.anthropic.respondWith(async (request, index) => {
    const r = round;
    const via = request.via ?? '';
    if (r && via.startsWith(NAME)) {
      if (!r.heldBy) {
        r.heldBy = via;
        r.reach(via);
        await r.released;
      } else if (via !== r.heldBy) r.resume(performance.now());
    }
    return bench(request, index);
  });

  let started = 0;
  const errors = { count: 0, first: [] as string[] };
  const all: AppChild[] = [];
  const startReplica = async () => {
    const name = `${NAME}${++started}`;
    const app = await startAppChild(
      'ours',
      up.env({
        LOG_LEVEL: options.logLevel,
        AGENT_HISTORY_TOKENS: String(options.historyTokens),
        REDIS_KEY_PREFIX: PREFIX,
        ANTHROPIC_BASE_URL: `${up.anthropic.url}/via/${name}`,
      }),
      { nodeFlags: options.nodeFlags },
    );
    all.push(app);
    return { name, app };
  };

  const resumed: number[] = [];
  const answered: number[] = [];
  const failures: string[] = [];
  let replicas = await Promise.all([startReplica(), startReplica()]);
  try {
    for (let i = 0; i < options.kills; i++) {
      await up.settle();
      const r = newRound();
      round = r;
      const entry = replicas[i % 2]!;
      const turn = ctx.driver.start(
        { user: ctx.newUser(), channel: CHANNEL },
        eventSender(entry.app.eventsUrl),
      );
      try {
        const heldBy = await within(r.reached, REACH_MS, 'no model request');
        const victim = replicas.find((x) => x.name === heldBy);
        const survivor = replicas.find((x) => x.name !== heldBy);
        if (!victim || !survivor) throw new Error(`model request from unknown ${heldBy}`);
        await sleep(((i + 0.5) / options.kills) * SPREAD_MS);
        const killedAt = performance.now();
        await victim.app.kill();
        r.release();
        const resumedAt = await within(r.resumed, RESUME_MS, 'not resumed');
        const sample = await turn.done;
        if (!sample.ok) throw new Error('resumed, but the answer is not the scripted one');
        resumed.push(resumedAt - killedAt);
        answered.push(sample.sentMs + sample.doneMs - killedAt);
        ctx.log(`    kill ${i + 1}: resumed after ${((resumedAt - killedAt) / 1000).toFixed(1)} s`);
        replicas = [survivor, await startReplica()];
      } catch (err) {
        failures.push(`round ${i + 1}: ${(err as Error).message}`);
        ctx.log(`    kill ${i + 1}: FAILED ${(err as Error).message}`);
        r.release();
        // A fresh pair for the next round, whatever state this one left.
        await Promise.all(replicas.map((x) => x.app.kill()));
        replicas = await Promise.all([startReplica(), startReplica()]);
      } finally {
        round = undefined;
      }
    }
  } finally {
    round?.release();
    await Promise.all(replicas.map((x) => x.app.stop()));
    up.anthropic.respondWith(bench);
    for (const app of all) {
      errors.count += app.errors.count;
      errors.first.push(...app.errors.first.slice(0, Math.max(0, 5 - errors.first.length)));
    }
  }
  return {
    rounds: options.kills,
    resumed: summarise(resumed),
    answered: summarise(answered),
    failures,
    appErrors: errors,
  };
}
