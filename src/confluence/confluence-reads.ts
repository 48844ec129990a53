import type { SessionProvider } from '../composio/composio-sessions.js';
import type { Logger } from '../logger.js';
import { listSpaces, type SpaceOption } from './spaces.js';

/**
 * The Confluence reads the bot makes outside a turn (forms, and next link previews and
 * subscriptions), each through the person's own Tool Router session — never anyone else's.
 */
export interface ConfluenceReads {
  /** The spaces this person can see; none when the listing fails (the failure is logged). */
  spaces(composioUserId: string): Promise<SpaceOption[]>;
}

/** Creates the reads over the per-user sessions the turns use too. */
export function createConfluenceReads(sessions: SessionProvider, logger: Logger): ConfluenceReads {
  return {
    async spaces(composioUserId) {
      const { host } = await sessions.forUser(composioUserId);
      return listSpaces(host, logger);
    },
  };
}
