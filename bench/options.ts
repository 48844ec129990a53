import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Upstream latencies in ms: model request, MCP tool call, Composio round trip, Slack API call. */
export interface LatencyProfile {
  modelMs: number;
  toolMs: number;
  composioMs: number;
  slackMs: number;
}

/** Everything a benchmark run can be told; `--quick` and the flags fill it in. */
export interface BenchOptions {
  variants: Array<'ours' | 'baseline'>;
  /** Latencies of the first-visible phase (the model's is 1 s by default). */
  latency: LatencyProfile;
  /** Latencies of the per-turn cost phase (overhead and call counts). */
  costLatency: LatencyProfile;
  /** Users in the per-turn cost phase; each runs 4 turns (cold, warm, warm, new thread). */
  costUsers: number;
  ackConcurrency: number;
  ackRounds: number;
  /** Users whose turns the first-visible phase times, at once, twice (cold, then warm). */
  visibleUsers: number;
  threadTurns: number;
  longThreadMessages: number;
  historyTokens: number;
  /** Load phase: turns, spread over this many users (one thread each). */
  turns: number;
  users: number;
  /** Turns of the baseline's load phase (it is several times slower). */
  baselineTurns: number;
  /** Turns in flight at once in the load phase. */
  loadConcurrency: number;
  /** Kill → resumed phase (ours only): rounds, each one SIGKILL of the process running a turn. */
  kills: number;
  /** Seconds the app is left idle after the load before its RSS is read again (0: not measured). */
  idleSeconds: number;
  logLevel: string;
  /** Where the JSON results go (none when empty). */
  out: string;
  /** Where the app processes write V8 CPU profiles (none when empty). */
  profileDir: string;
  /** Print each measured turn's upstream exchanges, in time order, to stderr. */
  timeline: boolean;
  /** Node/V8 flags for the app processes: `npm start`'s unless given (`--node-flags=""` for none). */
  nodeFlags: string[];
  /** Extra environment for the app processes (e.g. `MALLOC_ARENA_MAX=2`), as `KEY=VALUE` pairs. */
  appEnv: Record<string, string>;
}

/**
 * The Node flags `npm start` runs the bot with (package.json's start script), so the app
 * processes run as deployed: its memory figures are those of the default settings.
 */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const [, ...args] = pkg.scripts.start.split(/\s+/);
  return args.filter((a) => a.startsWith('--'));
}

const FULL: BenchOptions = {
  variants: ['ours', 'baseline'],
  latency: { modelMs: 1000, toolMs: 150, composioMs: 80, slackMs: 40 },
  costLatency: { modelMs: 50, toolMs: 20, composioMs: 10, slackMs: 5 },
  costUsers: 5,
  ackConcurrency: 50,
  ackRounds: 4,
  visibleUsers: 6,
  threadTurns: 20,
  longThreadMessages: 500,
  historyTokens: 60_000,
  turns: 10_000,
  users: 1_000,
  baselineTurns: 1_000,
  loadConcurrency: 32,
  kills: 5,
  idleSeconds: 0,
  logLevel: 'info',
  out: 'bench/results/latest.json',
  profileDir: '',
  timeline: false,
  nodeFlags: startFlags(),
  appEnv: {},
};

const QUICK: Partial<BenchOptions> = {
  costUsers: 2,
  ackRounds: 2,
  visibleUsers: 3,
  turns: 1_000,
  users: 100,
  baselineTurns: 300,
  kills: 3,
};

/** Options for a programmatic run (tests): the full defaults with `overrides` on top. */
export function benchOptions(overrides: Partial<BenchOptions> = {}): BenchOptions {
  return { ...FULL, ...overrides };
}

/** `KEY=VALUE KEY2=VALUE2` → an environment object. */
function parseEnvPairs(raw: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of raw.split(/\s+/).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`not KEY=VALUE: ${pair}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

/** Parses `npm run bench -- [--quick] [--turns N] [--users N] …` into options. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      variants: { type: 'string' },
      turns: { type: 'string' },
      users: { type: 'string' },
      'baseline-turns': { type: 'string' },
      'model-ms': { type: 'string' },
      'tool-ms': { type: 'string' },
      'composio-ms': { type: 'string' },
      'slack-ms': { type: 'string' },
      'history-tokens': { type: 'string' },
      'long-thread': { type: 'string' },
      'thread-turns': { type: 'string' },
      'ack-concurrency': { type: 'string' },
      kills: { type: 'string' },
      'log-level': { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      timeline: { type: 'boolean', default: false },
      'node-flags': { type: 'string' },
      'app-env': { type: 'string' },
      'idle-s': { type: 'string' },
    },
  });
  const base = values.quick ? { ...FULL, ...QUICK } : { ...FULL };
  const num = (raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${raw}`);
    return n;
  };
  const turns = num(values.turns, base.turns);
  return {
    ...base,
    variants: values.variants
      ? (values.variants.split(',') as BenchOptions['variants'])
      : base.variants,
    turns,
    users: num(values.users, base.users),
    baselineTurns: num(
      values['baseline-turns'],
      values.turns ? Math.ceil(turns / 10) : base.baselineTurns,
    ),
    latency: {
      modelMs: num(values['model-ms'], base.latency.modelMs),
      toolMs: num(values['tool-ms'], base.latency.toolMs),
      composioMs: num(values['composio-ms'], base.latency.composioMs),
      slackMs: num(values['slack-ms'], base.latency.slackMs),
    },
    historyTokens: num(values['history-tokens'], base.historyTokens),
    longThreadMessages: num(values['long-thread'], base.longThreadMessages),
    threadTurns: num(values['thread-turns'], base.threadTurns),
    ackConcurrency: num(values['ack-concurrency'], base.ackConcurrency),
    kills: num(values.kills, base.kills),
    idleSeconds: num(values['idle-s'], base.idleSeconds),
    logLevel: values['log-level'] ?? base.logLevel,
    out: values.out ?? base.out,
    profileDir: values.profile ?? base.profileDir,
    timeline: values.timeline,
    nodeFlags: values['node-flags']?.split(/\s+/).filter(Boolean) ?? base.nodeFlags,
    appEnv: values['app-env'] ? parseEnvPairs(values['app-env']) : base.appEnv,
  };
}
