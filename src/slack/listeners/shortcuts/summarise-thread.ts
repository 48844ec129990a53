import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { ConnectionService } from '../../../composio/connections.js';
import type { ConfluenceReads } from '../../../confluence/confluence-reads.js';
import { pickerSpaces } from '../../blocks/space-options.js';
import {
  connectModal,
  loadingModal,
  type SummariseTarget,
  summariseModal,
} from '../../blocks/summarise-modal.js';
import { afterAck } from '../../plumbing/after-ack.js';

/** What the shortcut needs. */
export interface ShortcutDeps {
  connections: ConnectionService;
  toolkit: string;
  composioUserIdOf(teamId: string, userId: string): Promise<string>;
  confluence: ConfluenceReads;
}

// A title that reads at a glance in the modal and the page tree; the user can still edit it.
const TITLE_CHARS = 60;

/** A default page title from the first words of the message the shortcut was used on. */
export function defaultTitle(text: string | undefined, now: Date): string {
  const plain = (text ?? '')
    // Links keep their label; mentions and other Slack markup go.
    .replace(/<[^>|]+\|([^>]+)>/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  const words =
    plain.length > TITLE_CHARS ? `${[...plain].slice(0, TITLE_CHARS).join('').trimEnd()}…` : plain;
  return `${words || 'Thread summary'} — ${now.toISOString().slice(0, 10)}`;
}

/**
 * "Summarise to Confluence": opens the modal at once (the trigger id lasts 3 s), then fills it
 * with the user's spaces — or a Connect button when Confluence is not connected.
 */
export function createSummariseShortcut(deps: ShortcutDeps) {
  return async ({
    shortcut,
    ack,
    client,
    logger,
  }: AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>) => {
    await ack();
    // Detached: Slack's 200 goes out now, not after the Composio round trips below.
    afterAck(logger, 'summarise shortcut', openAndFill);

    async function openAndFill(): Promise<void> {
      const teamId = shortcut.team?.id ?? shortcut.user.team_id ?? '';
      const message = shortcut.message as { ts: string; thread_ts?: string; text?: string };
      const target: SummariseTarget = {
        teamId,
        channel: shortcut.channel.id,
        threadTs: message.thread_ts ?? message.ts,
      };
      const opened = await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: loadingModal(target),
      });
      const viewId = opened.view?.id;
      if (!viewId) return;
      try {
        const composioUserId = await deps.composioUserIdOf(teamId, shortcut.user.id);
        const states = await deps.connections.status(composioUserId);
        const connected = states.find((s) => s.toolkit === deps.toolkit)?.connected ?? false;
        if (!connected) {
          const link = await deps.connections.connect(composioUserId, deps.toolkit);
          if (link) {
            await client.views.update({
              view_id: viewId,
              view: connectModal(target, deps.toolkit, link.redirectUrl),
            });
            return;
          }
        }
        const spaces = await deps.confluence.spaces(composioUserId).catch((err: Error) => {
          // The form's free-text space key still works without the picker.
          logger.warn(`space listing for the summarise form failed: ${err.message}`);
          return [];
        });
        await client.views.update({
          view_id: viewId,
          view: summariseModal(
            target,
            pickerSpaces(spaces),
            defaultTitle(message.text, new Date()),
          ),
        });
      } catch (err) {
        logger.error(`summarise shortcut failed: ${(err as Error).message}`);
        await client.views.update({
          view_id: viewId,
          view: summariseModal(target, [], defaultTitle(message.text, new Date())),
        });
      }
    }
  };
}
