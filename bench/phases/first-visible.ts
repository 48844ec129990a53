import { type Summary, summarise } from '../stats.js';
import { type PhaseContext, requireOk } from './context.js';

/** Time from the request to the first visible sign in its thread, and to the whole answer. */
export interface FirstVisibleResult {
  modelMs: number;
  /** A user's first turn since the process started (tools not yet open). */
  cold: Summary;
  /** Later turns: in a new thread, and a follow-up in that thread. */
  warm: Summary;
  answerWarm: Summary;
}

const CHANNEL = 'CBENCHVIS';

/**
 * With the model answering after `latency.modelMs` (1 s by default) and the other upstreams
 * at their latencies: every user asks at once in a new thread (cold), again in a new thread,
 * then follows up in it (both warm).
 */
export async function measureFirstVisible(ctx: PhaseContext): Promise<FirstVisibleResult> {
  const { up, driver, options } = ctx;
  up.setLatency(options.latency);
  const users = Array.from({ length: options.visibleUsers }, () => ctx.newUser());
  const round = async (threads: Array<string | undefined>) => {
    await up.settle();
    const samples = await Promise.all(
      users.map((user, i) => driver.turn({ user, channel: CHANNEL, threadTs: threads[i] })),
    );
    requireOk('first visible', samples);
    return samples;
  };
  const cold = await round([]);
  const fresh = await round([]);
  const followUp = await round(fresh.map((s) => s.threadTs));
  const warm = [...fresh, ...followUp];
  up.exchanges.length = 0;
  return {
    modelMs: options.latency.modelMs,
    cold: summarise(cold.map((s) => s.firstVisibleMs)),
    warm: summarise(warm.map((s) => s.firstVisibleMs)),
    answerWarm: summarise(warm.map((s) => s.doneMs)),
  };
}
