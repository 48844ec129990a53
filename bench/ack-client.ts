/**
 * The benchmark's request sender for the acknowledgement phase, in its own process: the
 * latencies it measures are not stretched by the fakes' work in the benchmark process.
 */
import { createSlackRequester } from '../test/kit/fake-slack/index.js';
import { SIGNING_SECRET } from './upstreams.js';

/** A batch to send at once, all to `url`. */
export interface FireRequest {
  type: 'fire';
  url: string;
  events: Array<Record<string, unknown>>;
}

/** Each event's acknowledgement: ms from sending to the response, and its HTTP status. */
export interface FireResult {
  type: 'fired';
  acks: Array<{ ackMs: number; status: number }>;
}

const requester = createSlackRequester(SIGNING_SECRET);

process.on('message', async (request: FireRequest) => {
  if (request.type !== 'fire') return;
  const acks = await Promise.all(
    request.events.map(async (event) => {
      const sentAt = performance.now();
      const res = await requester.event(request.url, event);
      return { ackMs: performance.now() - sentAt, status: res.status };
    }),
  );
  process.send?.({ type: 'fired', acks } satisfies FireResult);
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
