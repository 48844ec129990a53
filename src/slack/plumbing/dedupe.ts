import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { type Keys, TTL } from '../../store/keys.js';
import type { KeyValueStore } from '../../store/kv.js';

// Slack retries a delivery three times over about five minutes (at once, after a minute, after
// five): an event id is remembered in process a while longer than that.
// https://docs.slack.dev/apis/events-api/#retries
const LOCAL_MEMORY_MS = 10 * 60_000;
// Far above the events one process accepts in ten minutes; the oldest go first beyond it.
const LOCAL_MEMORY_MAX = 10_000;

/** The event ids this process accepted lately, oldest first; bounded in time and size. */
function createRecentEvents(now: () => number = Date.now) {
  const seen = new Map<string, number>();
  const prune = () => {
    for (const [id, at] of seen) {
      if (seen.size <= LOCAL_MEMORY_MAX && now() - at < LOCAL_MEMORY_MS) break;
      seen.delete(id);
    }
  };
  return {
    has: (id: string) => (seen.get(id) ?? -Infinity) > now() - LOCAL_MEMORY_MS,
    add(id: string) {
      seen.delete(id);
      seen.set(id, now());
      prune();
    },
    delete: (id: string) => void seen.delete(id),
  };
}

/**
 * Global middleware: an Events API delivery whose `event_id` was already accepted (Slack's
 * retries, `x-slack-retry-num`, or a re-delivery to another replica) stops here. Bolt does
 * not do this itself. The id is claimed before the listeners run (two replicas handed the same
 * event at once run it once), kept for a day once they have finished, and released if they
 * failed, so that Slack's retry of a delivery that was never handled is not dropped.
 *
 * When the store cannot answer (down, or hanging past its ack-path timeout) the process's own
 * memory of recent event ids decides: a retry of a delivery this process already took (and,
 * with Redis out, already told the requester about) is dropped, so an outage costs one notice
 * per request, not one per retry. Another replica cannot know; it tells the requester again.
 */
export function createEventDedupe(kv: KeyValueStore, keys: Keys): Middleware<AnyMiddlewareArgs> {
  const recent = createRecentEvents();
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
      // Without the store this process's memory decides; a new event runs and the turn's
      // submit explains the outage to the requester itself.
      logger.warn(`event dedupe unavailable: ${(err as Error).message}`);
      first = !recent.has(eventId);
    }
    if (!first) {
      logger.debug(`duplicate delivery of ${eventId} ignored`);
      return;
    }
    recent.add(eventId);
    try {
      await next();
    } catch (err) {
      recent.delete(eventId);
      if (claimed) await kv.del(key).catch(() => {});
      throw err;
    }
    // Handled: remembered for a day, without holding up the ack.
    if (claimed) void kv.set(key, '1', TTL.event).catch(() => {});
  };
}
