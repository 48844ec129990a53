import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/web-api';
import type { ConnectionService, ConnectionStatus } from '../../../composio/connections.js';
import { userMessageFor } from '../../../errors.js';
import type { UsageStore } from '../../../store/usage.js';
import type { Subscriptions } from '../../../subscriptions/subscriptions.js';

import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { connectBlocks } from '../../blocks/connect-blocks.js';
import { disconnectPrompt } from '../../blocks/disconnect-blocks.js';
import { afterAck } from '../../plumbing/after-ack.js';
import { isNotInChannel } from '../../reads/slack-errors.js';
import { turnRequestFromCommand } from '../../requests/command.js';
import {
  COMMAND_HELP,
  type ConfluenceCommand,
  escapeMrkdwn,
  parseConfluenceCommand,
  SUBSCRIBE_USAGE,
} from '../../text/command-parse.js';

import { channelSubscriptionsText, ownedSubscriptionsText } from '../../text/subscription-text.js';
import { usageLine } from '../../text/usage-text.js';

/** What the slash command needs. */
export interface CommandDeps {
  dispatcher: TurnDispatcher;
  connections: ConnectionService;
  toolkit: string;
  composioUserIdOf(teamId: string, userId: string): Promise<string>;
  subscriptions: Subscriptions;
  /** The caller's own token usage this month, for `status`; none without it. */
  usage?: Pick<UsageStore, 'monthOf'>;
}

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
type Subcommand = Exclude<ConfluenceCommand, { kind: 'request' }>;
/** A private reply: seen only by the person who ran the command. */
type PrivateReply = { text: string; blocks?: KnownBlock[] };

const ALREADY_CONNECTED = 'Your Confluence account is already connected. :white_check_mark:';

/** The usage, headed by what was not understood, followed by the subscriptions one owns. */
export function helpReply(unknown?: string, owned = ''): PrivateReply {
  const heading = unknown ? `I don't know the subcommand \`${escapeMrkdwn(unknown)}\`.\n\n` : '';
  return { text: heading + COMMAND_HELP + (owned ? `\n\n${owned}` : '') };
}

const NOT_A_MEMBER =
  "I'm not a member of this channel, so I can't post its updates. Invite me (`/invite @Confluence Agent`), then subscribe again.";

/** One line of `/confluence status` per toolkit. */
export function connectionLine(s: ConnectionStatus): string {
  if (!s.connected) return `• ${s.toolkit}: not connected — use \`/confluence connect\``;
  const account = s.accountId ? ` (\`${s.accountId}\`)` : '';
  return `• ${s.toolkit}: connected :white_check_mark:${account}`;
}

/** Handles `/confluence`: subcommands answer privately; anything else becomes a turn in a thread. */
export function createConfluenceCommand(deps: CommandDeps) {
  /** The private reply to a subcommand; looks the Composio user up only where it is needed. */
  async function replyTo(
    parsed: Subcommand,
    command: Args['command'],
  ): Promise<PrivateReply | undefined> {
    const userId = () => deps.composioUserIdOf(command.team_id, command.user_id);
    const teamId = command.team_id;
    switch (parsed.kind) {
      case 'help': {
        const owned = await deps.subscriptions.ownedBy(teamId, command.user_id).catch(() => []);
        return helpReply(parsed.unknown, ownedSubscriptionsText(owned));
      }
      case 'usage':
        return { text: `${parsed.problem}\n\n${SUBSCRIBE_USAGE}` };
      case 'subscriptions':
        return {
          text: channelSubscriptionsText(
            await deps.subscriptions.ofChannel(teamId, command.channel_id),
          ),
        };
      case 'subscribe':
        return subscribe(parsed, command, await userId());
      case 'unsubscribe': {
        const where = { teamId, channel: command.channel_id, userId: command.user_id };
        // The channel sees the unsubscription; only a miss is answered privately.
        if (await deps.subscriptions.unsubscribe(where, parsed.spaceKey)) return undefined;
        return {
          text: `This channel is not subscribed to \`${escapeMrkdwn(parsed.spaceKey)}\`. See \`/confluence subscriptions\`.`,
        };
      }
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

  /** Subscribes the channel; the confirmation is posted in it, a refusal answered privately. */
  async function subscribe(
    parsed: Extract<Subcommand, { kind: 'subscribe' }>,
    command: Args['command'],
    composioUserId: string,
  ): Promise<PrivateReply | undefined> {
    const caller = {
      teamId: command.team_id,
      channel: command.channel_id,
      userId: command.user_id,
      composioUserId,
    };
    let result: Awaited<ReturnType<Subscriptions['subscribe']>>;
    try {
      result = await deps.subscriptions.subscribe(caller, parsed.spaceKey, parsed.kinds);
    } catch (err) {
      if (isNotInChannel(err)) return { text: NOT_A_MEMBER };
      throw err;
    }
    if (result.ok) return undefined;
    const key = `\`${escapeMrkdwn(parsed.spaceKey)}\``;
    switch (result.reason) {
      case 'not_connected':
        return {
          text: `To subscribe, I check ${key} with your own Confluence access: connect it first with \`/confluence connect\`.`,
        };
      case 'no_space': {
        const some = result.visible.length
          ? ` Spaces you can read include: ${result.visible.map((k) => `\`${escapeMrkdwn(k)}\``).join(', ')}.`
          : '';
        return {
          text: `I can't find a space ${key} that your Confluence access can read, so I didn't subscribe.${some}`,
        };
      }
      case 'lookup_failed':
        return {
          text: `I couldn't check ${key} in Confluence right now, so I didn't subscribe. Please try again in a minute.`,
        };
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
        const reply = await replyTo(parsed, command);
        if (reply) await respond({ response_type: 'ephemeral', ...reply });
      } catch (err) {
        await tellFailure(args, parsed.kind, err);
      }
    });
  };
}
