import type { TurnRequest } from '../../turns/turn-request.js';
import { type SummariseForm, summariseRequestText } from '../blocks/summarise-form.js';
import type { SummariseTarget } from '../blocks/summarise-modal.js';
import { escapeMrkdwn } from '../text/command-parse.js';

/**
 * Maps a submitted "Summarise to Confluence" form to a turn request in the summarised thread:
 * the worker posts a note saying who asked, and the agent reads the whole thread.
 */
export function turnRequestFromSummarise(
  submission: { viewId: string; userId: string; teamId: string },
  target: SummariseTarget,
  form: SummariseForm,
): TurnRequest {
  const { userId } = submission;
  return {
    id: `view-${submission.viewId}`,
    source: 'shortcut',
    teamId: target.teamId || submission.teamId,
    channel: target.channel,
    threadTs: target.threadTs,
    messageTs: target.threadTs,
    userId,
    text: summariseRequestText(form),
    threadContext: 'whole_thread',
    announce: {
      text: `<@${userId}> asked me to summarise this thread into "${escapeMrkdwn(form.title)}" in space ${form.spaceKey}.`,
      where: 'in_thread',
    },
  };
}
