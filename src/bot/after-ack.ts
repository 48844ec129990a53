import type { Logger } from '@slack/bolt';

/**
 * Runs the part of a listener that follows `ack()` without awaiting it, so the listener returns
 * at once. In HTTP mode the receiver processes before responding (so events are queued before
 * their 200); for commands, shortcuts and actions that would hold Slack's 200 until slow
 * Composio or Slack work finished, past Slack's 3 s limit. A rejection is logged, never thrown.
 */
export function afterAck(logger: Logger, label: string, work: () => Promise<void>): void {
  void Promise.resolve()
    .then(work)
    .catch((err: unknown) => {
      logger.error(
        `${label} failed after ack: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
}
