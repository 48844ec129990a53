import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ConnectionService } from '../../../agent/connections.js';
import { userMessageFor } from '../../../errors.js';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { COMMAND_HELP, escapeMrkdwn, parseConfluenceCommand } from '../../command-parse.js';
import { connectBlocks } from '../../connect-blocks.js';
import { disconnectPrompt } from '../../disconnect-blocks.js';
import { isNotInChannel } from '../../slack-errors.js';

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
    client,
    logger,
  }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => {
    await ack();
    const parsed = parseConfluenceCommand(command.text);
    try {
      if (parsed.kind === 'help') {
        const unknown = parsed.unknown
          ? `I don't know the subcommand \`${escapeMrkdwn(parsed.unknown)}\`.\n\n`
          : '';
        return void (await respond({ response_type: 'ephemeral', text: unknown + COMMAND_HELP }));
      }
      const composioUserId = await deps.composioUserIdOf(command.team_id, command.user_id);
      if (parsed.kind === 'connect') {
        const link = await deps.connections.connect(composioUserId, deps.toolkit);
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
      const base = {
        id,
        source: 'command' as const,
        teamId: command.team_id,
        userId: command.user_id,
        text: parsed.text,
        threadContext: 'none' as const,
      };
      try {
        const root = await client.chat.postMessage({
          channel: command.channel_id,
          text: `<@${command.user_id}> asked: ${escapeMrkdwn(parsed.text.slice(0, 200))}`,
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: `<@${command.user_id}> asked via \`/confluence\`:\n>${escapeMrkdwn(parsed.text.slice(0, 2900)).replace(/\n/g, '\n>')}`,
              },
            },
          ],
        });
        await deps.dispatcher.submit({
          kind: 'turn',
          request: {
            ...base,
            channel: command.channel_id,
            threadTs: root.ts!,
            messageTs: root.ts!,
          },
        });
      } catch (err) {
        if (!isNotInChannel(err)) throw err;
        await respond({
          response_type: 'ephemeral',
          text: "I can't post in this channel because I'm not a member, so I'll answer you here, privately. To have me answer in the channel, invite me with `/invite @Confluence Agent`.",
        });
        await deps.dispatcher.submit({
          kind: 'turn',
          request: {
            ...base,
            channel: command.channel_id,
            threadTs: id,
            messageTs: id,
            replyVia: 'response_url',
            responseUrl: command.response_url,
          },
        });
      }
    } catch (err) {
      logger.error(`/confluence ${parsed.kind} failed: ${(err as Error).message}`);
      await respond({ response_type: 'ephemeral', text: userMessageFor(err) }).catch(() => {});
    }
  };
}
