import type { Logger } from '@slack/bolt';

/** Work started after an ack and not yet settled, so that shutdown can let it finish. */
const pending = new Set<Promise<void>>();

/**
 * Runs the part of a listener that follows `ack()` without awaiting it, so the listener returns
 * at once. In HTTP mode the receiver processes before responding (so events are queued before
 * their 200); for commands, shortcuts and actions that would hold Slack's 200 until slow
 * Composio or Slack work finished, past Slack's 3 s limit. A rejection is logged, never thrown.
 */
export function afterAck(logger: Logger, label: string, work: () => Promise<void>): void {
  const running = Promise.resolve()
    .then(work)
    .catch((err: unknown) => {
      logger.error(
        `${label} failed after ack: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  pending.add(running);
  void running.finally(() => pending.delete(running));
}

/**
 * Waits (at most `timeoutMs`) for work started after acks to finish: a reply half-sent is not
 * cut off by a stop. Resolves true when it all finished, false when the time ran out first.
 */
export async function settleAfterAck(timeoutMs: number): Promise<boolean> {
  if (!pending.size) return true;
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    Promise.allSettled([...pending]).then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  return settled;
}
