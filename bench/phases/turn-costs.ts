import type { ServedExchange } from '../../test/kit/fake-served.js';
import { type CallCounts, callsSince, markCalls, maxCounts, typicalCounts } from '../counters.js';
import { type Summary, summarise, unionWithin } from '../stats.js';
import { type PhaseContext, requireOk } from './context.js';

/** One turn's cost: its time end to end, the part spent inside upstreams, and its calls. */
export interface TurnCost {
  kind: 'cold' | 'warm';
  /** Acknowledgement of this turn's request alone (no other request in flight). */
  ackMs: number;
  e2eMs: number;
  upstreamMs: number;
  overheadMs: number;
  calls: CallCounts;
}

/** Per-turn costs, cold (a user's first turn) and warm (every later one). */
export interface TurnCostResult {
  overheadWarm: Summary;
  overheadCold: Summary;
  e2eWarm: Summary;
  /** Acknowledgements one at a time: the ack path's own latency, without a burst. */
  ackAlone: Summary;
  callsCold: CallCounts;
  /** The typical warm turn, and the most any warm turn made. */
  callsWarm: CallCounts;
  callsWarmMax: CallCounts;
  /** The typical warm follow-up in the bot's DM (a new DM first, then one in its thread; ours only). */
  callsWarmDm?: CallCounts;
  turns: TurnCost[];
}

const CHANNEL = 'CBENCHCOST';

/**
 * Runs turns one at a time, so every upstream exchange in a turn's span is that turn's. Each
 * user asks in a new thread (cold), twice more in it, then in another new thread.
 * Overhead = end-to-end time minus the union of the time upstreams spent serving it.
 */
export async function measureTurnCosts(ctx: PhaseContext): Promise<TurnCostResult> {
  const { up, driver } = ctx;
  up.setLatency(ctx.options.costLatency);
  const turns: TurnCost[] = [];
  const dmFollowUps: CallCounts[] = [];
  for (let u = 0; u < ctx.options.costUsers; u++) {
    const user = ctx.newUser();
    let threadTs: string | undefined;
    for (let step = 0; step < 4; step++) {
      await up.settle();
      const mark = await markCalls(up);
      const sample = await driver.turn({ user, channel: CHANNEL, threadTs });
      requireOk('turn costs', [sample]);
      await up.settle();
      const calls = await callsSince(up, mark);
      threadTs = step === 2 ? undefined : sample.threadTs;
      const end = sample.sentMs + sample.doneMs;
      const spans = up.exchanges
        .filter((e) => e.endMs >= sample.sentMs && e.startMs <= end)
        .map((e) => [e.startMs, e.endMs] as const);
      const upstreamMs = unionWithin(spans, sample.sentMs, end);
      if (ctx.options.timeline) ctx.log(timeline(sample, up.exchanges, end));
      turns.push({
        kind: step === 0 ? 'cold' : 'warm',
        ackMs: sample.ackMs,
        e2eMs: sample.doneMs,
        upstreamMs,
        overheadMs: sample.doneMs - upstreamMs,
        calls,
      });
    }
    // The same user in the bot's DM: a new message, then a follow-up in its thread (ours only:
    // the seed guide's bot answers mentions alone).
    let dmThread: string | undefined;
    for (let step = 0; ctx.variant === 'ours' && step < 2; step++) {
      await up.settle();
      const mark = await markCalls(up);
      const dm = { user, channel: `D${user.slice(1)}`, threadTs: dmThread, dm: true };
      const sample = await driver.turn(dm);
      requireOk('turn costs (DM)', [sample]);
      await up.settle();
      if (step === 1) dmFollowUps.push(await callsSince(up, mark));
      dmThread = sample.threadTs;
    }
    up.exchanges.length = 0;
  }
  const warm = turns.filter((t) => t.kind === 'warm');
  const cold = turns.filter((t) => t.kind === 'cold');
  return {
    overheadWarm: summarise(warm.map((t) => t.overheadMs)),
    overheadCold: summarise(cold.map((t) => t.overheadMs)),
    e2eWarm: summarise(warm.map((t) => t.e2eMs)),
    ackAlone: summarise(turns.map((t) => t.ackMs)),
    callsCold: typicalCounts(cold.map((t) => t.calls)),
    callsWarm: typicalCounts(warm.map((t) => t.calls)),
    callsWarmMax: maxCounts(warm.map((t) => t.calls)),
    callsWarmDm: dmFollowUps.length ? typicalCounts(dmFollowUps) : undefined,
    turns,
  };
}

/** One turn's upstream exchanges in time order, in ms after its request was sent. */
function timeline(
  sample: { sentMs: number; doneMs: number; ackMs: number },
  exchanges: readonly ServedExchange[],
  end: number,
): string {
  const at = (ms: number) => (ms - sample.sentMs).toFixed(1).padStart(7);
  const rows = exchanges
    .filter((e) => e.endMs >= sample.sentMs && e.startMs <= end)
    .sort((a, b) => a.startMs - b.startMs)
    .map((e) => {
      const what = (e.detail as { method?: string; rpc?: unknown } | undefined) ?? {};
      const label = what.method ?? (what.rpc ? `mcp ${JSON.stringify(what.rpc)}` : e.path);
      return `  ${at(e.startMs)} → ${at(e.endMs)}  ${e.fake} ${label}`;
    });
  return [
    `turn: ack ${sample.ackMs.toFixed(1)} ms, done ${sample.doneMs.toFixed(1)} ms`,
    ...rows,
  ].join('\n');
}
