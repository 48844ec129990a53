import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import type { Core } from '../core.js';
import { userMessageFor } from '../errors.js';
import type { TurnRequest } from '../turns/turn-request.js';

/** What {@link runChat} needs: the streams, a wired core, and who is chatting where. */
export interface ChatOptions {
  input: Readable;
  output: Writable;
  core: Pick<Core, 'runner' | 'stores' | 'close'>;
  /** The requester; also the Composio user id the tools run as. */
  userId: string;
  /** The conversation; the same id continues the stored history. */
  threadId: string;
}

/** Help shown by `/help` in the chat. */
export const CHAT_HELP = `Type a request, e.g. create a page titled "Launch Plan" in space MKT.
Commands: /help  this text    /exit  quit (Ctrl-D too)
Changes that cannot be undone ask "Approve? [y/N]" first.
`;

/** Builds the turn request for one line typed in the chat. */
export function chatTurnRequest(
  text: string,
  who: { userId: string; threadId: string },
): TurnRequest {
  return {
    id: `cli-${randomUUID()}`,
    source: 'mention',
    teamId: 'cli',
    channel: 'cli',
    threadTs: who.threadId,
    messageTs: String(Date.now()),
    userId: who.userId,
    text,
  };
}

/**
 * The terminal chat's REPL: each line is a turn of the agent; a turn that pauses for approval
 * is put to the user here, like the Approve/Deny buttons in Slack. Closes the core when done.
 */
export async function runChat(options: ChatOptions): Promise<void> {
  const { input, output, core, userId, threadId } = options;
  const rl = createInterface({ input, output });
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  // Ctrl-C quits like Ctrl-D (a turn in flight still finishes first).
  rl.on('SIGINT', () => rl.close());
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (question: string): Promise<string | undefined> => {
    // Once input has ended, lines already typed are still read: the prompt is just echoed.
    if (closed) output.write(question);
    else {
      rl.setPrompt(question);
      rl.prompt();
    }
    const next = await lines.next();
    return next.done ? undefined : String(next.value).trim();
  };

  // Approvals are read from the store, as the Slack listener does, so any output works here.
  async function settleApprovals(turnId: string): Promise<void> {
    for (;;) {
      const record = await core.stores.turns.get(turnId);
      if (record?.status !== 'awaiting_approval') return;
      const reply = await ask('Approve? [y/N] ');
      const decision = /^y(es)?$/i.test(reply ?? '') ? 'approved' : 'denied';
      output.write(
        decision === 'approved' ? 'Approved.\n' : 'Not approved: nothing was changed.\n',
      );
      if ((await core.runner.decide({ turnId, userId, decision })) !== 'resumed') return;
    }
  }

  output.write(`Confluence Agent: chatting as ${userId} in thread ${threadId}. /help for help.\n`);
  try {
    for (;;) {
      const text = await ask('you › ');
      if (text === undefined || text === '/exit' || text === '/quit') break;
      if (!text) continue;
      if (text === '/help' || /^\/\w+$/.test(text)) {
        output.write(text === '/help' ? CHAT_HELP : `Unknown command ${text}.\n${CHAT_HELP}`);
        continue;
      }
      const request = chatTurnRequest(text, { userId, threadId });
      try {
        await core.runner.run(request);
        await settleApprovals(request.id);
      } catch (err) {
        // The runner answers its own failures; this only catches a broken store or output.
        output.write(`${userMessageFor(err)}\n`);
      }
    }
  } finally {
    rl.close();
    output.write(`\nBye. Continue this conversation with --thread ${threadId}\n`);
    await core.close();
  }
}
