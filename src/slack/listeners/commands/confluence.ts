import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/web-api';
import type { ConnectionService, ConnectionStatus } from '../../../composio/connections.js';
import { userMessageFor } from '../../../errors.js';
import type { UsageStore } from '../../../store/usage.js';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { connectBlocks } from '../../blocks/connect-blocks.js';
import { disconnectPrompt } from '../../blocks/disconnect-blocks.js';
import { afterAck } from '../../plumbing/after-ack.js';
import { turnRequestFromCommand } from '../../requests/command.js';
import {
  COMMAND_HELP,
  type ConfluenceCommand,
  escapeMrkdwn,
  parseConfluenceCommand,
} from '../../text/command-parse.js';
import { usageLine } from '../../text/usage-text.js';

/** What the slash command needs. */
export interface CommandDeps {
  dispatcher: TurnDispatcher;
  connections: ConnectionService;
  toolkit: string;
  composioUserIdOf(teamId: string, userId: string): Promise<string>;
  /** The caller's own token usage this month, for `status`; none without it. */
  usage?: Pick<UsageStore, 'monthOf'>;
}

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
type Subcommand = Exclude<ConfluenceCommand, { kind: 'request' }>;
/** A private reply: seen only by the person who ran the command. */
type PrivateReply = { text: string; blocks?: KnownBlock[] };

const ALREADY_CONNECTED = 'Your Confluence account is already connected. :white_check_mark:';

/** The usage, headed by what was not understood when a subcommand was mistyped. */
export function helpReply(unknown?: string): PrivateReply {
  const heading = unknown ? `I don't know the subcommand \`${escapeMrkdwn(unknown)}\`.\n\n` : '';
  return { text: heading + COMMAND_HELP };
}

/** One line of `/confluence status` per toolkit. */
export function connectionLine(s: ConnectionStatus): string {
  if (!s.connected) return `• ${s.toolkit}: not connected — use \`/confluence connect\``;
  const account = s.accountId ? ` (\`${s.accountId}\`)` : '';
  return `• ${s.toolkit}: connected :white_check_mark:${account}`;
}

/** Handles `/confluence`: subcommands answer privately; anything else becomes a turn in a thread. */
export function createConfluenceCommand(deps: CommandDeps) {
  /** The private reply to a subcommand; looks the Composio user up only where it is needed. */
  async function replyTo(parsed: Subcommand, command: Args['command']): Promise<PrivateReply> {
    const userId = () => deps.composioUserIdOf(command.team_id, command.user_id);
    switch (parsed.kind) {
      case 'help':
        return helpReply(parsed.unknown);
      case 'disconnect':
        return disconnectPrompt(deps.toolkit);
      case 'connect': {
        const link = await deps.connections.connect(await userId(), deps.toolkit);
        return link ? connectBlocks(deps.toolkit, link.redirectUrl) : { text: ALREADY_CONNECTED };
      }
      case 'status': {
        const composioUserId = await userId();
        // The caller's own figures only: looked up by their own Composio user id.
        const [states, usage] = await Promise.all([
          deps.connections.status(composioUserId),
          deps.usage?.monthOf(composioUserId),
        ]);
        const lines = states.map(connectionLine);
        return {
          text: [
            `Your Composio user id: \`${composioUserId}\``,
            ...lines,
            ...(usage ? [usageLine(usage)] : []),
          ].join('\n'),
        };
      }
    }
  }

  /** The one error boundary: logs the failure and tells the person, privately. */
  async function tellFailure({ respond, logger }: Args, what: string, err: unknown) {
    logger.error(`/confluence ${what} failed: ${(err as Error).message}`);
    await respond({ response_type: 'ephemeral', text: userMessageFor(err) }).catch(
      (respondErr: Error) =>
        // Nothing else can reach the person: the response_url is the command's only channel.
        logger.warn(`/confluence ${what}: could not say so either: ${respondErr.message}`),
    );
  }

  return async (args: Args) => {
    const { command, ack, respond, logger } = args;
    const parsed = parseConfluenceCommand(command.text);
    if (parsed.kind === 'request') {
      // Queued before the ack returns: nothing acknowledged is lost.
      const request = turnRequestFromCommand(command, parsed.text);
      const queued = await deps.dispatcher.submit({ kind: 'turn', request }).then(
        () => true,
        (err: unknown) => err,
      );
      await ack();
      if (queued !== true) await tellFailure(args, parsed.kind, queued);
      return;
    }
    // Subcommands ack first and answer detached, so Slack's 200 never waits on Composio.
    await ack();
    afterAck(logger, `/confluence ${parsed.kind}`, async () => {
      try {
        await respond({ response_type: 'ephemeral', ...(await replyTo(parsed, command)) });
      } catch (err) {
        await tellFailure(args, parsed.kind, err);
      }
    });
  };
}
