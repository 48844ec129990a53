import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ConnectionService } from '../../../composio/connections.js';
import { userMessageFor } from '../../../errors.js';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { connectBlocks } from '../../blocks/connect-blocks.js';
import { disconnectPrompt } from '../../blocks/disconnect-blocks.js';
import { afterAck } from '../../plumbing/after-ack.js';
import { COMMAND_HELP, escapeMrkdwn, parseConfluenceCommand } from '../../text/command-parse.js';

/** What the slash command needs. */
export interface CommandDeps {
  dispatcher: TurnDispatcher;
  connections: ConnectionService;
  toolkit: string;
  composioUserIdOf(teamId: string, userId: string): Promise<string>;
}

/** Handles `/confluence`: subcommands answer privately; anything else becomes a turn in a thread. */
export function createConfluenceCommand(deps: CommandDeps) {
  return async ({
    command,
    ack,
    respond,
    logger,
  }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => {
    const parsed = parseConfluenceCommand(command.text);
    // A request is queued before the ack returns (nothing acknowledged is lost); the rest ack
    // first and answer detached, so Slack's 200 never waits on Composio.
    if (parsed.kind === 'request') return handle();
    await ack();
    afterAck(logger, `/confluence ${parsed.kind}`, handle);

    async function handle(): Promise<void> {
      try {
        if (parsed.kind === 'help') {
          const unknown = parsed.unknown
            ? `I don't know the subcommand \`${escapeMrkdwn(parsed.unknown)}\`.\n\n`
            : '';
          return void (await respond({ response_type: 'ephemeral', text: unknown + COMMAND_HELP }));
        }
        // Looked up only where it is used: a request is queued (and acked) without waiting on it.
        const userIdOf = () => deps.composioUserIdOf(command.team_id, command.user_id);
        if (parsed.kind === 'connect') {
          const link = await deps.connections.connect(await userIdOf(), deps.toolkit);
          if (!link)
            return void (await respond({
              response_type: 'ephemeral',
              text: 'Your Confluence account is already connected. :white_check_mark:',
            }));
          return void (await respond({
            response_type: 'ephemeral',
            ...connectBlocks(deps.toolkit, link.redirectUrl),
          }));
        }
        if (parsed.kind === 'status') {
          const composioUserId = await userIdOf();
          const states = await deps.connections.status(composioUserId);
          const lines = states.map(
            (s) =>
              `• ${s.toolkit}: ${s.connected ? `connected :white_check_mark:${s.accountId ? ` (\`${s.accountId}\`)` : ''}` : 'not connected — use `/confluence connect`'}`,
          );
          return void (await respond({
            response_type: 'ephemeral',
            text: [`Your Composio user id: \`${composioUserId}\``, ...lines].join('\n'),
          }));
        }
        if (parsed.kind === 'disconnect')
          return void (await respond({
            response_type: 'ephemeral',
            ...disconnectPrompt(deps.toolkit),
          }));

        const id = `cmd-${command.trigger_id}`;
        await deps.dispatcher
          .submit({
            kind: 'turn',
            request: {
              id,
              source: 'command',
              teamId: command.team_id,
              userId: command.user_id,
              text: parsed.text,
              threadContext: 'none',
              channel: command.channel_id,
              // The worker posts the quoting root message; the turn then lives in its thread.
              threadTs: id,
              messageTs: id,
              announce: { text: parsed.text, where: 'new_thread' },
              responseUrl: command.response_url,
            },
          })
          .finally(() => ack());
      } catch (err) {
        logger.error(`/confluence ${parsed.kind} failed: ${(err as Error).message}`);
        await respond({ response_type: 'ephemeral', text: userMessageFor(err) }).catch(() => {});
      }
    }
  };
}
