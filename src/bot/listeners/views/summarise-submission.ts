import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { escapeMrkdwn } from '../../command-parse.js';
import { isNotInChannel, tellPrivately } from '../../slack-errors.js';
import { readSummariseForm, summariseRequestText } from '../../summarise-form.js';
import type { SummariseTarget } from '../../summarise-modal.js';

const NOT_A_MEMBER_HELP = (channel: string) =>
  `I couldn't summarise that thread: I'm not a member of <#${channel}>, so I can't read it or reply there. Invite me with \`/invite @Confluence Agent\`, then run *Summarise to Confluence* again.`;

/** Handles the summarise modal's submit: errors back into the modal, or a turn in the thread. */
export function createSummariseSubmission(dispatcher: TurnDispatcher) {
  return async ({
    ack,
    view,
    body,
    client,
    logger,
  }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    let target: SummariseTarget;
    try {
      target = JSON.parse(view.private_metadata) as SummariseTarget;
    } catch {
      await ack({
        response_action: 'errors',
        errors: { title: 'This form is out of date. Please run the shortcut again.' },
      });
      return;
    }
    // A "connect first" modal has no form: submitting it just closes it.
    if (!view.state.values.title) return void (await ack());
    const { form, errors } = readSummariseForm(view.state.values as never);
    if (!form) return void (await ack({ response_action: 'errors', errors: errors ?? {} }));
    await ack();
    const userId = body.user.id;
    let posted: { ts?: string };
    try {
      posted = await client.chat.postMessage({
        channel: target.channel,
        thread_ts: target.threadTs,
        text: `<@${userId}> asked me to summarise this thread into "${escapeMrkdwn(form.title)}" in space ${form.spaceKey}.`,
      });
    } catch (err) {
      // Shortcuts work in any conversation, but the bot can only read and reply where it is a member.
      if (!isNotInChannel(err)) throw err;
      logger.warn('summarise shortcut used where the bot is not a member');
      await tellPrivately(client, userId, NOT_A_MEMBER_HELP(target.channel));
      return;
    }
    await dispatcher.submit({
      kind: 'turn',
      request: {
        id: `view-${view.id}`,
        source: 'shortcut',
        teamId: target.teamId || body.team?.id || '',
        channel: target.channel,
        threadTs: target.threadTs,
        messageTs: posted.ts ?? target.threadTs,
        userId,
        text: summariseRequestText(form),
        threadContext: 'whole_thread',
      },
    });
  };
}
