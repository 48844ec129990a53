import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { CodedError, userMessageFor } from '../../../errors.js';
import type { JsonRecord } from '../../../store/stores.js';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import type { TurnRecord } from '../../../turns/turn-record.js';
import { APPROVE_ACTION, describeApproval } from '../../approval-blocks.js';

/** What the approval listener needs. */
export interface ApprovalListenerDeps {
  turns: JsonRecord<[turnId: string], TurnRecord>;
  dispatcher: TurnDispatcher;
}

/** Handles Approve/Deny: only the requester's click resumes the paused turn. */
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
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: userMessageFor(
          new CodedError('store_unavailable', 'approval load failed', { cause: err }),
        ),
      });
      return;
    }
    const decision = action.action_id === APPROVE_ACTION ? 'approved' : 'denied';
    const mayDecide = record?.status === 'awaiting_approval' && record.request.userId === clicker;
    if (record && mayDecide) {
      // Queued before the ack returns: an acknowledged click is never lost.
      const { request } = record;
      await deps.dispatcher.submit({
        kind: 'decision',
        decision: { turnId, userId: clicker, decision, pauseId: record.approvals[0]?.toolUseId },
        thread: { teamId: request.teamId, channel: request.channel, threadTs: request.threadTs },
        pauseId: record.approvals[0]?.toolUseId ?? 'none',
      });
    }
    await ack();
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
    const verdict =
      decision === 'approved'
        ? `:white_check_mark: Approved by <@${clicker}>`
        : `:no_entry_sign: Denied by <@${clicker}>`;
    const lines = record.approvals.flatMap(describeApproval).join('\n');
    if (body.message?.ts && body.channel?.id) {
      await client.chat.update({
        channel: body.channel.id,
        ts: body.message.ts,
        text: verdict,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${verdict}:\n${lines}` } }],
      });
    }
  };
}
