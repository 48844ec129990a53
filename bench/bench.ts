import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { startAppChild } from './app-child.js';
import type { Variant } from './bench-app.js';
import { createDriver } from './driver.js';
import type { BenchOptions } from './options.js';
import { type AckResult, measureAck } from './phases/ack.js';
import { userIds } from './phases/context.js';
import { type FirstVisibleResult, measureFirstVisible } from './phases/first-visible.js';
import { type KillResumeResult, measureKillResume } from './phases/kill-resume.js';
import { type LoadResult, measureLoad } from './phases/load.js';
import { measureTokens, type TokenResult } from './phases/tokens.js';
import { measureTurnCosts, type TurnCostResult } from './phases/turn-costs.js';
import { TurnTracker } from './turn-tracker.js';
import { startUpstreams } from './upstreams.js';

/** Everything measured for one variant of the bot. */
export interface VariantResult {
  turnCosts: TurnCostResult;
  ack: AckResult;
  firstVisible: FirstVisibleResult;
  tokens: TokenResult;
  load: LoadResult;
  /** Ours only, with `--kills` above 0: a killed process's turn taken over by another. */
  killResume?: KillResumeResult;
  /** Error lines the app logged (a clean run has none). */
  appErrors: { count: number; first: string[] };
  seconds: number;
}

/** A whole benchmark run: the machine, the options, and each variant's figures. */
export interface BenchResult {
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    platform: string;
    /** 1-minute load average at the start and the end: other work on the machine skews timings. */
    loadAverage: [number, number];
  };
  options: BenchOptions;
  startedAt: string;
  seconds: number;
  variants: Partial<Record<Variant, VariantResult>>;
}

/** Runs every phase against one variant, in its own app process, with fresh upstreams. */
async function runVariant(
  variant: Variant,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<VariantResult> {
  const startedAt = performance.now();
  const up = await startUpstreams();
  try {
    const app = await startAppChild(
      variant,
      up.env({
        LOG_LEVEL: options.logLevel,
        AGENT_HISTORY_TOKENS: String(options.historyTokens),
        ...options.appEnv,
      }),
      { profileDir: options.profileDir, nodeFlags: options.nodeFlags },
    );
    const tracker = new TurnTracker(up.slack);
    try {
      const ctx = {
        variant,
        up,
        app,
        driver: createDriver(up, app, tracker),
        options,
        newUser: userIds(),
        log: progress,
      };
      const phase = <T>(name: string, run: () => Promise<T>) => {
        const at = ((performance.now() - startedAt) / 1000).toFixed(1);
        progress(`  ${variant}: ${name} (at ${at} s)`);
        return run();
      };
      const turnCosts = await phase('turn costs', () => measureTurnCosts(ctx));
      const ack = await phase('ack', () => measureAck(ctx));
      const firstVisible = await phase('first visible', () => measureFirstVisible(ctx));
      const tokens = await phase('tokens', () => measureTokens(ctx));
      const turns = variant === 'baseline' ? options.baselineTurns : options.turns;
      const load = await phase(`load (${turns} turns)`, () => measureLoad(ctx, turns));
      const killResume =
        variant === 'ours' && options.kills > 0
          ? await phase(`kill → resumed (${options.kills} kills)`, () => measureKillResume(ctx))
          : undefined;
      const seconds = Math.round((performance.now() - startedAt) / 100) / 10;
      return {
        turnCosts,
        ack,
        firstVisible,
        tokens,
        load,
        killResume,
        appErrors: app.errors,
        seconds,
      };
    } finally {
      tracker.close();
      await app.stop();
    }
  } finally {
    await up.close();
  }
}

/** Runs the benchmark: each variant in turn (never at once, so they do not share the CPU). */
export async function runBench(
  options: BenchOptions,
  progress: (line: string) => void = () => {},
): Promise<BenchResult> {
  const startedAt = performance.now();
  const result: BenchResult = {
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadAverage: [loadavg()[0]!, 0],
    },
    options,
    startedAt: new Date().toISOString(),
    seconds: 0,
    variants: {},
  };
  for (const variant of options.variants) {
    progress(`running ${variant}…`);
    result.variants[variant] = await runVariant(variant, options, progress);
    progress(`${variant} done in ${result.variants[variant]!.seconds} s`);
  }
  result.machine.loadAverage[1] = loadavg()[0]!;
  result.seconds = Math.round((performance.now() - startedAt) / 100) / 10;
  return result;
}
