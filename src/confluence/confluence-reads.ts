import type { PendingApproval } from '../agent/agent-config.js';
import { stripConnectLinks } from '../agent/connection-links.js';
import type { SessionProvider } from '../composio/composio-sessions.js';
import type { Logger } from '../logger.js';
import { lookupOperations } from './operation-lookup.js';
import { type DescribedOperation, describe, operationsOf } from './operations.js';
import { listSpaces, type SpaceOption } from './spaces.js';

/**
 * The Confluence reads the bot makes outside the model's loop for forms and approval prompts
 * (link previews are link-previews.ts), each through the person's own Tool Router session —
 * never anyone else's.
 */
export interface ConfluenceReads {
  /** The spaces this person can see; none when the listing fails (the failure is logged). */
  spaces(composioUserId: string): Promise<SpaceOption[]>;
  /**
   * The operations of pending calls, each target looked up and named (title, space, link).
   * Never throws: a lookup that fails is described as failed, with the id it was given.
   */
  describeOperations(
    composioUserId: string,
    approvals: readonly PendingApproval[],
  ): Promise<DescribedOperation[]>;
}

/** Creates the reads over the per-user sessions the turns use too. */
export function createConfluenceReads(sessions: SessionProvider, logger: Logger): ConfluenceReads {
  return {
    async spaces(composioUserId) {
      const { host } = await sessions.forUser(composioUserId);
      return listSpaces(host, logger);
    },
    async describeOperations(composioUserId, approvals) {
      try {
        const { host } = await sessions.forUser(composioUserId);
        return await lookupOperations(host, approvals, logger);
      } catch (err) {
        const message = stripConnectLinks(String((err as Error)?.message).slice(0, 300));
        logger.warn({ err: { message } }, 'approval lookups failed');
        return operationsOf(approvals).map((op) =>
          describe(op, { status: 'failed', reason: 'lookup failed' }),
        );
      }
    },
  };
}
