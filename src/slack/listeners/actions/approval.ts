import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { describeWithoutLookup } from '../../../confluence/operations.js';
import { CodedError, userMessageFor } from '../../../errors.js';
import type { JsonRecord } from '../../../store/stores.js';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import type { TurnRecord } from '../../../turns/turn-record.js';
import { repliesViaResponseUrl } from '../../../turns/turn-request.js';
import {
  APPROVE_ACTION,
  decidedBlocks,
  type Verdict,
  verdictText,
} from '../../blocks/approval-blocks.js';
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
            decision: {
              turnId,
              userId: clicker,
              decision,
              pauseId,
              turnTraceparent: record.request.traceparent,
            },
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
      const verdict: Verdict = { decision, userId: clicker, at: clickTime(action.action_ts) };
      const text = verdictText(verdict);
      // Redrawn from the descriptions saved with the pause: no lookups again. A record saved
      // before descriptions existed shows what its arguments alone say.
      const blocks = decidedBlocks(
        verdict,
        record.operations ?? describeWithoutLookup(record.approvals),
      );
      if (body.container?.is_ephemeral || repliesViaResponseUrl(request)) {
        // An ephemeral prompt is no message chat.update can reach: the click's response_url
        // replaces it (https://docs.slack.dev/interactivity/handling-user-interaction).
        await respond({ replace_original: true, text, blocks });
      } else if (body.message?.ts && body.channel?.id) {
        await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text, blocks });
      }
    }
  };
}

/** When Slack says the button was clicked (its `action_ts`, in seconds); now if unreadable. */
function clickTime(actionTs: string | undefined): Date {
  const seconds = Number(actionTs);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date();
}
