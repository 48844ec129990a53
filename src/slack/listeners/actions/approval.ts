import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { CodedError, userMessageFor } from '../../../errors.js';
import type { JsonRecord } from '../../../store/stores.js';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import type { TurnRecord } from '../../../turns/turn-record.js';
import { APPROVE_ACTION, describeApproval, sectionBlocks } from '../../blocks/approval-blocks.js';
import { afterAck } from '../../plumbing/after-ack.js';

/** What the approval listener needs. */
export interface ApprovalListenerDeps {
  turns: JsonRecord<[turnId: string], TurnRecord>;
  dispatcher: TurnDispatcher;
}

/**
 * Handles Approve/Deny: only the requester's click resumes the paused turn. The decision is
 * queued before the ack; the answers to the clicker go out after it (detached), so Slack's 200
 * never waits on them.
 */
export function createApprovalListener(deps: ApprovalListenerDeps) {
  return async ({
    ack,
    body,
    action,
    client,
    respond,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    const turnId = action.value ?? '';
    const clicker = body.user.id;
    let record: TurnRecord | null;
    try {
      record = await deps.turns.get(turnId);
    } catch (err) {
      await ack();
      logger.error(`approval click could not be read: ${(err as Error).message}`);
      afterAck(logger, 'approval click', async () => {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: userMessageFor(
            new CodedError('store_unavailable', 'approval load failed', { cause: err }),
          ),
        });
      });
      return;
    }
    const decision = action.action_id === APPROVE_ACTION ? 'approved' : 'denied';
    const mayDecide = record?.status === 'awaiting_approval' && record.request.userId === clicker;
    let refused = false;
    if (record && mayDecide) {
      // Queued before the ack returns: an acknowledged click is never lost. A refusal (shutting
      // down, queue unavailable) comes back here, so the buttons stay for another click.
      const { teamId, channel, threadTs } = record.request;
      const pauseId = record.approvals[0]?.toolUseId;
      try {
        await deps.dispatcher.submit(
          {
            kind: 'decision',
            decision: { turnId, userId: clicker, decision, pauseId },
            thread: { teamId, channel, threadTs },
            pauseId: pauseId ?? 'none',
          },
          { rejectIfRefused: true },
        );
      } catch (err) {
        logger.error(`approval decision on ${turnId} not accepted: ${(err as Error).message}`);
        refused = true;
      }
    }
    await ack();
    afterAck(logger, 'approval click', () => answer(record));

    /** Tells the clicker what became of the click, and replaces the buttons once decided. */
    async function answer(record: TurnRecord | null): Promise<void> {
      if (record?.status !== 'awaiting_approval') {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'This request was already handled, or it has expired.',
        });
        return;
      }
      const { request } = record;
      if (request.userId !== clicker) {
        logger.warn(`approval click on ${turnId} by someone other than the requester refused`);
        await client.chat.postEphemeral({
          channel: request.channel,
          user: clicker,
          thread_ts: request.threadTs,
          text: `Only <@${request.userId}>, who asked for this, can approve or deny it.`,
        });
        return;
      }
      if (refused) {
        // Nothing was queued: the buttons stay, and the clicker is asked to click again.
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `I couldn't record your ${decision === 'approved' ? 'approval' : 'denial'} just now, so nothing has happened yet. Please click ${decision === 'approved' ? 'Approve' : 'Deny'} again in a minute.`,
        });
        return;
      }
      const verdict =
        decision === 'approved'
          ? `:white_check_mark: Approved by <@${clicker}>`
          : `:no_entry_sign: Denied by <@${clicker}>`;
      if (body.message?.ts && body.channel?.id) {
        await client.chat.update({
          channel: body.channel.id,
          ts: body.message.ts,
          text: verdict,
          // Within Slack's limits however many calls the prompt listed.
          blocks: sectionBlocks(`${verdict}:`, record.approvals.flatMap(describeApproval)),
        });
      }
    }
  };
}
