/** The benchmark, run with tiny counts: its call and token counts hold (no timing thresholds). */
import { beforeAll, describe, expect, it } from 'vitest';
import { type BenchResult, runBench } from '../../bench/bench.js';
import { benchOptions } from '../../bench/options.js';
import { checkTargets, reportRows } from '../../bench/report.js';

const FAST = { modelMs: 5, toolMs: 2, composioMs: 2, slackMs: 2 };
const BUDGET = 1_000;

describe('npm run bench (smoke)', () => {
  let result: BenchResult;
  beforeAll(async () => {
    result = await runBench(
      benchOptions({
        latency: FAST,
        costLatency: FAST,
        costUsers: 1,
        ackConcurrency: 4,
        ackRounds: 1,
        visibleUsers: 1,
        threadTurns: 4,
        longThreadMessages: 48,
        historyTokens: BUDGET,
        turns: 6,
        users: 3,
        baselineTurns: 3,
        // Each kill round waits out a lock (seconds): test/bench/kill-resume.test.ts runs one.
        kills: 0,
        logLevel: 'warn',
        out: '',
      }),
    );
  }, 180_000);

  const ours = () => result.variants.ours!;
  const baseline = () => result.variants.baseline!;

  it('answers every turn and logs no error', () => {
    expect(ours().appErrors).toEqual({ count: 0, first: [] });
    expect(baseline().appErrors).toEqual({ count: 0, first: [] });
    expect(ours().load.turns).toBe(6);
  });

  it('leaves the kill → resumed phase out with --kills 0 (and the baseline never runs it)', () => {
    expect(ours().killResume).toBeUndefined();
    expect(baseline().killResume).toBeUndefined();
    const rows = reportRows(result).filter((r) => r.metric.startsWith('kill'));
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.ours === '-')).toBe(true);
    expect(checkTargets(result).some((t) => t.target.startsWith('kill'))).toBe(false);
  });

  it('makes no Composio REST call, MCP initialize or tools/list in a warm turn', () => {
    const warm = ours().turnCosts.callsWarmMax;
    expect([warm.composioRest, warm.mcpInitialize, warm.mcpToolsList]).toEqual([0, 0, 0]);
    const cold = ours().turnCosts.callsCold;
    expect([cold.mcpInitialize, cold.mcpToolsList, cold.modelRequests]).toEqual([1, 1, 2]);
  });

  // Load rounds after the first are warm turns too: every user keeps their connection.
  it('makes no Composio REST call or MCP handshake in load rounds after the first', () => {
    const rounds = ours().load.rounds;
    expect(rounds.map((r) => [r.composioRest, r.mcpInitialize])).toEqual([
      [3, 3],
      [0, 0],
    ]);
    expect(ours().load.rssAfterReleaseMb).toBeGreaterThan(0);
  });

  // The typical (median) warm turn: status, thread read, tool status, answer; and the Redis
  // commands it takes, BullMQ's and those inside scripts included: 135 on 6 December, 125 once a
  // response's token tallies were one transaction, 112 once checkpoints were only those that
  // save work, the tallies joined the closing transaction and the history was read once. The
  // margin absorbs BullMQ's timer-driven commands (stalled-job checks every second, blocking pops).
  it('makes no more Slack calls or Redis commands in a warm turn than it did', () => {
    const warm = ours().turnCosts.callsWarm;
    expect(warm.slackCalls).toBeLessThanOrEqual(4);
    expect(warm.redisCommands).toBeGreaterThan(0);
    expect(warm.redisCommands).toBeLessThanOrEqual(120);
    const byCommand = ours().turnCosts.turns.at(-1)!.calls.redisByCommand!;
    // One transaction a turn: its closing writes with its token tallies.
    expect(byCommand.multi).toBe(1);
    // The job's first read (done mark, record, hand-over) and the history with its version.
    expect(byCommand.mget).toBe(2);
    // A follow-up in the bot's DM: status, tool status, answer (a DM thread is not read back).
    const dm = ours().turnCosts.callsWarmDm!;
    expect([dm.slackCalls, dm.modelRequests, dm.mcpToolsCall]).toEqual([3, 2, 1]);
  });

  it('sends a byte-identical, cache-marked prefix (tools + system) in every request of a thread', () => {
    const { tokens } = ours();
    expect(tokens.requests).toHaveLength(8);
    expect(tokens.prefixIdentical).toBe(true);
    expect(tokens.cacheMarked).toBe(true);
    expect(tokens.reusedPrefixShare).toBeGreaterThan(0);
  });

  it('keeps the history sent within the budget however long the thread grows', () => {
    const long = ours().tokens.longThreads;
    expect(long.map((l) => l.messages)).toEqual([8, 48]);
    for (const thread of long) expect(thread.history).toBeLessThanOrEqual(BUDGET);
    const baselineLong = baseline().tokens.longThreads.at(-1)!;
    expect(baselineLong.history).toBeGreaterThan(BUDGET * 5);
  });

  it('the baseline makes more of each: sessions, MCP handshakes, tool lists, input tokens', () => {
    const ourWarm = ours().turnCosts.callsWarm;
    const theirWarm = baseline().turnCosts.callsWarm;
    expect(theirWarm.composioRest).toBeGreaterThan(ourWarm.composioRest);
    expect(theirWarm.mcpInitialize).toBeGreaterThan(ourWarm.mcpInitialize);
    expect(theirWarm.mcpToolsList).toBeGreaterThan(ourWarm.mcpToolsList);
    expect(baseline().tokens.uncachedMean).toBeGreaterThan(ours().tokens.uncachedMean);
    expect(baseline().tokens.longThreads.at(-1)!.input).toBeGreaterThan(
      ours().tokens.longThreads.at(-1)!.input,
    );
    expect(baseline().tokens.reusedPrefixShare).toBe(0);
  });
});
