import type { BenchResult, VariantResult } from './bench.js';
import type { CallCounts } from './counters.js';
import type { KillResumeResult } from './phases/kill-resume.js';
import { round } from './stats.js';

/** One line of the results table: our figure, the baseline's, and their ratio. */
export interface ReportRow {
  metric: string;
  ours?: number | string;
  baseline?: number | string;
  /** ours / baseline, for numbers. */
  ratio?: string;
}

/** One target from the issue, and whether this run met it. */
export interface TargetCheck {
  target: string;
  value: string;
  met: boolean;
}

type Pick = (v: VariantResult) => number | string;

const calls = (c: CallCounts) =>
  `${c.composioRest}/${c.mcpInitialize}/${c.mcpToolsList}/${c.modelRequests}/${c.slackCalls}`;

const METRICS: Array<[string, Pick]> = [
  ['ack alone (no burst) p50 (ms)', (v) => v.turnCosts.ackAlone.p50],
  ['ack in a burst (--ack-concurrency) p50 (ms)', (v) => v.ack.ack.p50],
  ['ack in a burst p99 (ms)', (v) => v.ack.ack.p99],
  ['ack floor, bare server, same burst p50 (ms)', (v) => v.ack.floor.p50],
  ['ack floor, bare server, same burst p99 (ms)', (v) => v.ack.floor.p99],
  ['first visible, warm p50 (ms)', (v) => v.firstVisible.warm.p50],
  ['first visible, warm p99 (ms)', (v) => v.firstVisible.warm.p99],
  ['first visible, cold p50 (ms)', (v) => v.firstVisible.cold.p50],
  ['whole answer, warm p50 (ms)', (v) => v.firstVisible.answerWarm.p50],
  ['own overhead per turn, warm p50 (ms)', (v) => v.turnCosts.overheadWarm.p50],
  ['own overhead per turn, warm p99 (ms)', (v) => v.turnCosts.overheadWarm.p99],
  ['own overhead per turn, cold p50 (ms)', (v) => v.turnCosts.overheadCold.p50],
  ['calls/turn warm: REST/init/list/model/Slack', (v) => calls(v.turnCosts.callsWarm)],
  [
    'calls/turn warm, DM follow-up: REST/init/list/model/Slack',
    (v) => (v.turnCosts.callsWarmDm ? calls(v.turnCosts.callsWarmDm) : '-'),
  ],
  ['calls/turn cold: REST/init/list/model/Slack', (v) => calls(v.turnCosts.callsCold)],
  [
    'Redis commands per turn, warm / cold (with those in scripts)',
    (v) => `${v.turnCosts.callsWarm.redisCommands} / ${v.turnCosts.callsCold.redisCommands}`,
  ],
  ['input tokens/request, first', (v) => v.tokens.inputFirst],
  ['input tokens/request, last of thread', (v) => v.tokens.inputLast],
  ['input tokens/request, mean of thread', (v) => v.tokens.inputMean],
  ['uncached input tokens/request, mean', (v) => v.tokens.uncachedMean],
  ['reused cache-eligible prefix share', (v) => v.tokens.reusedPrefixShare],
  ['cache-read share (replayed ledger)', (v) => v.tokens.cacheReadShare],
  ['share repeating the previous request', (v) => v.tokens.repeatedShare],
  ['prefix identical in every request', (v) => String(v.tokens.prefixIdentical)],
  ...[0, 1].map((i): [string, Pick] => [
    `input tokens, long thread #${i + 1}`,
    (v) => v.tokens.longThreads[i]?.input ?? '-',
  ]),
  ['throughput, instant upstreams (turns/s)', (v) => v.load.turnsPerSecond],
  ['app CPU per turn (ms)', (v) => v.load.cpuMsPerTurn],
  ['redis-server CPU per turn (ms)', (v) => v.load.redisCpuMsPerTurn],
  ['bench process (fakes) CPU per turn (ms)', (v) => v.load.benchCpuMsPerTurn],
  ['RSS before load (MB)', (v) => v.load.rssBeforeMb],
  ['RSS after load (MB)', (v) => v.load.rssAfterMb],
  ['RSS growth over load (MB)', (v) => v.load.rssGrowthMb],
  [
    'RSS growth after the first round (MB)',
    (v) => round(v.load.rssAfterMb - v.load.rssAfterFirstRoundMb, 1),
  ],
  ['JS heap before → after load (MB)', (v) => `${v.load.heapBeforeMb} → ${v.load.heapAfterMb}`],
  [
    'V8 heap held (used or not) before → after load (MB)',
    (v) => `${v.load.heapTotalBeforeMb} → ${v.load.heapTotalAfterMb}`,
  ],
  ['RSS after load and some idle seconds, no forced GC (MB)', (v) => v.load.rssAfterIdleMb ?? '–'],
  ["RSS after load, V8's kept pages released (MB)", (v) => v.load.rssAfterReleaseMb],
  ['load turns / users', (v) => `${v.load.turns}/${v.load.users}`],
  ['kill → resumed p50 (s)', (v) => killSeconds(v, (k) => k.resumed.p50)],
  ['kill → resumed max (s)', (v) => killSeconds(v, (k) => k.resumed.max)],
  ['kill → answer posted p50 (s)', (v) => killSeconds(v, (k) => k.answered.p50)],
  ['kill → answer posted max (s)', (v) => killSeconds(v, (k) => k.answered.max)],
  [
    'kill rounds resumed / tried',
    (v) => (v.killResume ? `${v.killResume.resumed.n}/${v.killResume.rounds}` : '-'),
  ],
];

/** A kill → resumed figure in seconds, or '-' where the phase did not run (baseline, `--kills 0`). */
function killSeconds(v: VariantResult, pick: (k: KillResumeResult) => number): number | string {
  return v.killResume?.resumed.n ? round(pick(v.killResume) / 1000, 1) : '-';
}

/** The table rows for a run. */
export function reportRows(result: BenchResult): ReportRow[] {
  const { ours, baseline } = result.variants;
  return METRICS.map(([metric, pick]) => {
    const a = ours ? pick(ours) : undefined;
    const b = baseline ? pick(baseline) : undefined;
    const ratio =
      typeof a === 'number' && typeof b === 'number' && b !== 0 ? `${round(a / b, 2)}×` : '';
    return { metric, ours: a, baseline: b, ratio };
  });
}

/** The targets, checked against our figures. */
export function checkTargets(result: BenchResult): TargetCheck[] {
  const v = result.variants.ours;
  if (!v) return [];
  const warm = v.turnCosts.callsWarmMax;
  const long = v.tokens.longThreads;
  return [
    {
      target: `ack p99 < 20 ms (${v.ack.concurrency} at once)`,
      value: `${v.ack.ack.p99} ms (floor: bare server ${v.ack.floor.p99} ms)`,
      met: v.ack.ack.p99 < 20,
    },
    {
      target: `first visible < 150 ms (model ${v.firstVisible.modelMs} ms, warm p99)`,
      value: `${v.firstVisible.warm.p99} ms`,
      met: v.firstVisible.warm.p99 < 150,
    },
    {
      target: 'own overhead p50 < 5 ms (warm)',
      value: `${v.turnCosts.overheadWarm.p50} ms`,
      met: v.turnCosts.overheadWarm.p50 < 5,
    },
    {
      target: 'warm turns: 0 REST / 0 MCP initialize / 0 tools/list',
      value: `${warm.composioRest}/${warm.mcpInitialize}/${warm.mcpToolsList} (worst warm turn)`,
      met: warm.composioRest + warm.mcpInitialize + warm.mcpToolsList === 0,
    },
    {
      target: 'cache-eligible prefix identical',
      value: String(v.tokens.prefixIdentical && v.tokens.cacheMarked),
      met: v.tokens.prefixIdentical && v.tokens.cacheMarked,
    },
    {
      target: `input bounded (history ≤ ${v.tokens.budget} tokens)`,
      value: long.map((l) => `${l.messages} msgs → ${l.history}`).join(', '),
      met: long.every((l) => l.withinBudget),
    },
    rssTarget(v),
    {
      target: 'Slack Web API calls per warm turn ≤ 3',
      value: `${v.turnCosts.callsWarm.slackCalls} (worst ${warm.slackCalls}; a DM follow-up ${v.turnCosts.callsWarmDm?.slackCalls ?? '-'}); Redis commands ${v.turnCosts.callsWarm.redisCommands}`,
      met: v.turnCosts.callsWarm.slackCalls <= 3,
    },
    {
      target: 'redis-server CPU per turn ≤ 0.4 ms',
      value: `${v.load.redisCpuMsPerTurn} ms`,
      met: v.load.redisCpuMsPerTurn <= 0.4,
    },
    {
      target: 'ack p99 ≤ 15 ms above the bare-server floor',
      value: `+${round(v.ack.ack.p99 - v.ack.floor.p99, 2)} ms`,
      met: v.ack.ack.p99 - v.ack.floor.p99 <= 15,
    },
    ...killTarget(v.killResume),
    ...versusBaseline(v, result.variants.baseline),
  ];
}

/**
 * RSS growth under 80 MB over the load, with the JS heap flat: under 5 MB more after the last
 * round than after the first (which holds every user's connection and session).
 */
function rssTarget(v: VariantResult): TargetCheck {
  const heap = v.load.rounds.map((r) => r.heapUsedMb);
  const heapGrowth = heap.length ? round(heap.at(-1)! - heap[0]!, 1) : 0;
  return {
    target: 'RSS growth < 80 MB over the load, JS heap flat (< +5 MB after round 1)',
    value: `${v.load.rssGrowthMb} MB over ${v.load.turns} turns; heap ${heapGrowth >= 0 ? '+' : ''}${heapGrowth} MB`,
    met: v.load.rssGrowthMb < 80 && heapGrowth < 5,
  };
}

/** Kill → resumed p50 ≤ 10 s, every round resumed (none when the phase did not run). */
export function killTarget(k: KillResumeResult | undefined): TargetCheck[] {
  if (!k) return [];
  const p50 = round(k.resumed.p50 / 1000, 1);
  const max = round(k.resumed.max / 1000, 1);
  const all = k.resumed.n === k.rounds;
  return [
    {
      target: 'kill → resumed p50 ≤ 10 s (default lock settings)',
      value: `${p50} s (max ${max} s; ${k.resumed.n} of ${k.rounds} resumed)`,
      met: all && k.resumed.n > 0 && k.resumed.p50 <= 10_000,
    },
  ];
}

/** The targets set as ratios to the baseline measured in the same run. */
function versusBaseline(v: VariantResult, b: VariantResult | undefined): TargetCheck[] {
  if (!b) return [];
  const ratio = (a: number, c: number) => round(a / c, 2);
  const throughput = ratio(v.load.turnsPerSecond, b.load.turnsPerSecond);
  const cpu = ratio(v.load.cpuMsPerTurn, b.load.cpuMsPerTurn);
  const overhead = ratio(v.turnCosts.overheadWarm.p50, b.turnCosts.overheadWarm.p50);
  return [
    {
      target: 'throughput, instant upstreams ≥ 1.5× baseline',
      value: `${throughput}×`,
      met: throughput >= 1.5,
    },
    { target: 'app CPU per turn ≤ 0.8× baseline', value: `${cpu}×`, met: cpu <= 0.8 },
    {
      target: 'own overhead, warm p50 ≤ 0.7× baseline',
      value: `${overhead}×`,
      met: overhead <= 0.7,
    },
  ];
}

/** The results as fixed-width text tables, for stdout. */
export function formatReport(result: BenchResult): string {
  const rows = reportRows(result).map((r) => [
    r.metric,
    String(r.ours ?? ''),
    String(r.baseline ?? ''),
    r.ratio ?? '',
  ]);
  const targets = checkTargets(result).map((t) => [t.target, t.value, t.met ? 'met' : 'MISSED']);
  const m = result.machine;
  return [
    `machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, node ${m.node}, ${m.platform}, load average ${m.loadAverage.map((l) => l.toFixed(1)).join(' → ')}`,
    `run: ${result.seconds} s, started ${result.startedAt}`,
    '',
    table(['metric', 'ours', 'baseline', 'ours/baseline'], rows),
    '',
    table(['target', 'ours', 'status'], targets),
  ].join('\n');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
