import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { readSummariseForm } from '../../blocks/summarise-form.js';
import type { SummariseTarget } from '../../blocks/summarise-modal.js';
import { turnRequestFromSummarise } from '../../requests/summarise.js';

/** Handles the summarise modal's submit: errors back into the modal, or a turn in the thread. */
export function createSummariseSubmission(dispatcher: TurnDispatcher) {
  return async ({
    ack,
    view,
    body,
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
    const request = turnRequestFromSummarise(
      { viewId: view.id, userId: body.user.id, teamId: body.team?.id ?? '' },
      target,
      form,
    );
    // Queued before the ack returns; the worker posts the note and reads the whole thread.
    await dispatcher.submit({ kind: 'turn', request }).finally(() => ack());
  };
}
