import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AckSender, startAckSender } from '../ack-sender.js';
import type { EventSender } from '../driver.js';
import { type Summary, summarise } from '../stats.js';
import { type PhaseContext, requireOk } from './context.js';

/** Acknowledgement latency: signed request sent → HTTP 200 received. */
export interface AckResult {
  ack: Summary;
  /**
   * The same bursts, from the same sender, against a bare HTTP server that answers 200 at
   * once: what loopback, connection set-up and the sender cost on this machine before any app.
   */
  floor: Summary;
  concurrency: number;
  rounds: number;
}

const CHANNEL = 'CBENCHACK';
type AckTiming = { ackMs: number; status: number };

/**
 * Sends `ackConcurrency` mentions at once (each a new thread, each user its own), `ackRounds`
 * times after one unmeasured warm-up round, and times each acknowledgement. The requests
 * leave from a separate process, so the fakes' work does not delay the timing. The turns run
 * meanwhile, as they would; each round waits for its turns to finish.
 */
export async function measureAck(ctx: PhaseContext): Promise<AckResult> {
  const { up, driver, options } = ctx;
  up.setLatency(options.costLatency);
  const users = Array.from({ length: options.ackConcurrency }, () => ctx.newUser());
  const sender = await startAckSender();
  const acks: number[] = [];
  try {
    for (let round = 0; round <= options.ackRounds; round++) {
      await up.settle();
      // Every turn hands its event over; the whole batch then leaves the sender at once.
      const batch: Array<{ event: Record<string, unknown>; settle: (a: AckTiming) => void }> = [];
      const send: EventSender = (event) => new Promise((settle) => batch.push({ event, settle }));
      const turns = users.map((user) => driver.start({ user, channel: CHANNEL }, send));
      const timings = await sender.fire(
        ctx.app.eventsUrl,
        batch.map((b) => b.event),
      );
      for (const [i, b] of batch.entries()) b.settle(timings[i]!);
      const done = await Promise.all(turns.map((t) => t.done));
      requireOk('ack', done);
      if (round > 0) acks.push(...timings.map((a) => a.ackMs));
    }
    const floor = await measureFloor(sender, options.ackConcurrency, options.ackRounds);
    up.exchanges.length = 0;
    return {
      ack: summarise(acks),
      floor,
      concurrency: options.ackConcurrency,
      rounds: options.ackRounds,
    };
  } finally {
    sender.close();
  }
}

/** Times the same bursts against a server that reads each body and answers 200 at once. */
async function measureFloor(sender: AckSender, concurrency: number, rounds: number) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const times: number[] = [];
  try {
    for (let round = 0; round <= rounds; round++) {
      const events = Array.from({ length: concurrency }, (_, i) => ({
        type: 'app_mention',
        user: `UFLOOR${i}`,
        text: 'floor',
        ts: `${round}.${i}`,
        channel: CHANNEL,
      }));
      const timings = await sender.fire(url, events);
      if (round > 0) times.push(...timings.map((t) => t.ackMs));
    }
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return summarise(times);
}
