import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { type Keys, TTL } from '../../store/keys.js';
import type { KeyValueStore } from '../../store/kv.js';

/**
 * Global middleware: an Events API delivery whose `event_id` was already accepted (Slack's
 * retries, `x-slack-retry-num`, or a re-delivery to another replica) stops here. Bolt does
 * not do this itself. The id is claimed before the listeners run (two replicas handed the same
 * event at once run it once), kept for a day once they have finished, and released if they
 * failed, so that Slack's retry of a delivery that was never handled is not dropped.
 */
export function createEventDedupe(kv: KeyValueStore, keys: Keys): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next, logger }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId !== 'string') return next();
    const key = keys.event(eventId);
    let first: boolean;
    let claimed = false;
    try {
      first = await kv.setIfAbsent(key, '1', TTL.eventClaim);
      claimed = first;
    } catch (err) {
      // Without the store we cannot tell; let the turn run and explain the outage itself.
      logger.warn(`event dedupe unavailable: ${(err as Error).message}`);
      first = true;
    }
    if (!first) {
      logger.debug(`duplicate delivery of ${eventId} ignored`);
      return;
    }
    try {
      await next();
    } catch (err) {
      if (claimed) await kv.del(key).catch(() => {});
      throw err;
    }
    // Handled: remembered for a day, without holding up the ack.
    if (claimed) void kv.set(key, '1', TTL.event).catch(() => {});
  };
}
