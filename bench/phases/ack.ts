import { type Summary, summarise } from '../stats.js';
import { type PhaseContext, requireOk } from './context.js';

/** Acknowledgement latency: signed request sent → HTTP 200 received. */
export interface AckResult {
  ack: Summary;
  concurrency: number;
  rounds: number;
}

const CHANNEL = 'CBENCHACK';

/**
 * Sends `ackConcurrency` mentions at once (each a new thread, each user its own), `ackRounds`
 * times after one unmeasured warm-up round, and times each acknowledgement. The turns run
 * meanwhile, as they would; each round waits for its turns to finish.
 */
export async function measureAck(ctx: PhaseContext): Promise<AckResult> {
  const { up, driver, options } = ctx;
  up.setLatency(options.costLatency);
  const users = Array.from({ length: options.ackConcurrency }, () => ctx.newUser());
  const acks: number[] = [];
  for (let round = 0; round <= options.ackRounds; round++) {
    await up.settle();
    const turns = users.map((user) => driver.start({ user, channel: CHANNEL }));
    const acked = await Promise.all(turns.map((t) => t.acked));
    const done = await Promise.all(turns.map((t) => t.done));
    requireOk('ack', done);
    if (round > 0) acks.push(...acked.map((a) => a.ackMs));
  }
  up.exchanges.length = 0;
  return { ack: summarise(acks), concurrency: options.ackConcurrency, rounds: options.ackRounds };
}
