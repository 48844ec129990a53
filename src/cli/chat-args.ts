import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CodedError } from '../errors.js';

/** What the terminal chat was asked to do, from its command line. */
export interface ChatArgs {
  /** The Composio user id the tools run as. */
  user: string;
  /** The conversation to continue (or start); history is stored under it. */
  thread: string;
  help: boolean;
}

/** Usage text for `npm run chat -- --help`. */
export const CHAT_USAGE = `Usage: npm run chat -- [--user <composio-user-id>] [--thread <id>]

Chat with the Confluence agent in the terminal: the same agent, tools and store as the Slack bot.

  --user <id>    Composio user whose connections the tools use (default: cli-<your username>)
  --thread <id>  continue a stored conversation (default: a new one; with REDIS_URL it survives restarts)
  --help         show this text

In the chat: /help for help, /exit or Ctrl-D to quit.
`;

/** Raised for an unknown flag or a flag without its value. */
export class ChatArgsError extends CodedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('chat_args_invalid', message, options);
  }
}

// Eight hex digits: short enough to type after --thread, and one person's chats never collide.
const THREAD_ID_BYTES = 4;

/** A new, short thread id. */
export const newThreadId = (): string => `cli-${randomBytes(THREAD_ID_BYTES).toString('hex')}`;

/** Parses the chat's flags; `username` is the OS user, for the default Composio user id. */
export function parseChatArgs(argv: string[], username: string): ChatArgs {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        user: { type: 'string' },
        thread: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const user = values.user?.trim() || `cli-${username || 'user'}`;
    const thread = values.thread?.trim() || newThreadId();
    return { user, thread, help: values.help ?? false };
  } catch (err) {
    throw new ChatArgsError((err as Error).message, { cause: err });
  }
}
