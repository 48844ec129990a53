import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { JsonRecord } from '../../../store/stores.js';
import type { TurnRecord } from '../../../turns/turn-record.js';
import { approvalDetailsView } from '../../blocks/approval-blocks.js';
import { afterAck } from '../../plumbing/after-ack.js';

/** What the details button needs: the paused turn's saved descriptions. */
export interface ApprovalDetailsDeps {
  turns: JsonRecord<[turnId: string], TurnRecord>;
}

/**
 * "See all N" on a long batch's prompt: opens a modal listing every operation, in words and in
 * its exact form, from the descriptions saved with the pause (no lookups again). Anyone who can
 * see the prompt may read it; only the requester's Approve counts.
 */
export function createApprovalDetailsAction(deps: ApprovalDetailsDeps) {
  return async ({
    ack,
    body,
    action,
    client,
    respond,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack();
    // Detached, but started at once: the trigger_id is good for 3 s after the click.
    afterAck(logger, 'approval details', async () => {
      const record = await deps.turns.get(action.value ?? '');
      if (record?.status !== 'awaiting_approval' || !record.operations) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'This request was already handled, or it has expired.',
        });
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: approvalDetailsView(record.operations),
      });
    });
  };
}
