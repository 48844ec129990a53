import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Observability } from '../../observability/observability.js';
import { inSpan } from '../../observability/tracing.js';

// Slack retries a request not acknowledged within 3 s: past 2 s there is little room left.
const SLOW_ACK_MS = 2_000;
const KINDS = new Set([
  'event_callback',
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
]);

/** What kind of Slack request a body is: a small fixed set (a label and span attribute). */
function kindOf(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'slash_command';
  return typeof body.type === 'string' && KINDS.has(body.type) ? body.type : 'other';
}

/**
 * Global middleware, first in the chain: each Slack request is a `slack.request` span (the
 * root of its turn's trace: the queue hand-off carries it on), and a request whose listeners
 * took over 2 s counts as a slow ack. Listeners ack before their slow work (after-ack.ts) and
 * events are acked once their listener returns (processBeforeResponse), so the time through
 * the chain is the time to the ack.
 */
export function createRequestSpan(o: Observability): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const kind = kindOf(body as unknown as Record<string, unknown>);
    const started = Date.now();
    await inSpan(o.tracer, 'slack.request', { 'slack.request.kind': kind }, () => next());
    if (Date.now() - started > SLOW_ACK_MS) o.metrics.slowAcks.inc({ kind });
  };
}
