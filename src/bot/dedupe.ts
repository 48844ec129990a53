import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Keys } from '../store/keys.js';
import type { KeyValueStore } from '../store/kv.js';
import { TTL } from '../store/stores.js';

/**
 * Global middleware: an Events API delivery whose `event_id` was already accepted (Slack's
 * retries, `x-slack-retry-num`, or a re-delivery to another replica) stops here. Bolt does
 * not do this itself.
 */
export function createEventDedupe(kv: KeyValueStore, keys: Keys): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next, logger }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId !== 'string') return next();
    let first: boolean;
    try {
      first = await kv.setIfAbsent(keys.event(eventId), '1', TTL.event);
    } catch (err) {
      // Without the store we cannot tell; let the turn run and explain the outage itself.
      logger.warn(`event dedupe unavailable: ${(err as Error).message}`);
      first = true;
    }
    if (!first) {
      logger.debug(`duplicate delivery of ${eventId} ignored`);
      return;
    }
    await next();
  };
}
