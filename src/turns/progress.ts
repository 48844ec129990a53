import type { AgentEvent } from '../agent/agent-config.js';
import { stripConnectLinks } from '../agent/connection-links.js';
import type { Logger } from '../logger.js';
import type { TurnOutput } from './turn-output.js';
import type { TurnRequest } from './turn-request.js';

/**
 * Turns agent events into visible progress: status per tool, streamed text (separate model
 * calls divided by a blank line, as in the final answer), and private connect links. Text is
 * streamed up to its last whitespace, with connect links taken out, so a link can never flash
 * into a shared thread; the rest arrives with the final answer.
 */
export function createProgressHandler(
  output: TurnOutput,
  request: TurnRequest,
  log: Logger,
  /** Called after streamed text reached Slack, so a new message's id can be saved at once. */
  onStreamed: () => Promise<void> = async () => {},
) {
  let streamed = false;
  let newResponse = false;
  let held = '';
  const show = (shown: Promise<void> | undefined) => {
    shown?.catch((err) => log.warn({ err }, 'could not show progress'));
  };
  const handle = (event: AgentEvent) => {
    switch (event.type) {
      case 'text': {
        held += streamed && newResponse ? `\n\n${event.delta}` : event.delta;
        streamed = true;
        newResponse = false;
        const cut = Math.max(held.lastIndexOf(' '), held.lastIndexOf('\n')) + 1;
        if (!cut) return;
        const ready = stripConnectLinks(held.slice(0, cut));
        held = held.slice(cut);
        return show(output.streamText(request, ready).then(onStreamed));
      }
      case 'tool_start':
        return show(output.status(request, event.slugs.join(',')));
      case 'tool_end':
        newResponse = true;
        return;
      case 'needs_connection':
        if (event.request.redirectUrl) {
          show(output.connectLink(request, event.request.toolkit, event.request.redirectUrl));
        }
        return;
    }
  };
  /**
   * Streams the text held back (the last word or so), for a turn that pauses for approval: its
   * model call has ended, so no link can be half-written, and the prompt ends that message.
   */
  const flush = async () => {
    const rest = stripConnectLinks(held);
    held = '';
    if (rest) await output.streamText(request, rest).then(onStreamed);
  };
  return Object.assign(handle, { flush });
}
