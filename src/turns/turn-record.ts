import type { PendingApproval } from '../agent/agent-config.js';
import type { CitedSource } from '../agent/cited-answer.js';
import { closeFailedTurn, completedWrites, doneBeforeFailure } from '../agent/failed-turn.js';
import { withoutFileBlocks } from '../agent/history.js';
import type { TurnState } from '../agent/turn-state.js';
import type { DescribedOperation } from '../confluence/operations.js';
import { userMessageFor } from '../errors.js';
import type { Tokens } from '../store/usage.js';
import type { TurnRequest } from './turn-request.js';

/** What a turn has put on screen so far, saved with its checkpoints. */
export interface VisibleState {
  /** The message the answer is being streamed into. */
  streamTs?: string;
}

/**
 * A turn as stored while it runs, waits for approval, or posts its answer: enough for any
 * instance to resume it from its last checkpoint.
 */
export interface TurnRecord {
  request: TurnRequest;
  composioUserId: string;
  state: TurnState;
  /** running → (awaiting_approval → running)* → finishing (history saved, answer not yet shown). */
  status: 'running' | 'awaiting_approval' | 'finishing';
  approvals: PendingApproval[];
  /** The pauses the requester has answered (by their first call's id), oldest first. */
  decided?: string[];
  /**
   * The operations of `approvals`, their targets looked up and named, as the prompt shows them:
   * the click redraws the prompt from these, without looking anything up again.
   */
  operations?: DescribedOperation[];
  visible?: VisibleState;
  /** The answer to show, once the turn is finishing. */
  answer?: string;
  /** The pages the answer cites, listed under it (kept so a resumed finish lists them too). */
  sources?: CitedSource[];
  /**
   * Set on a stored record: its state holds only this turn's messages, and the thread's history
   * is loaded again when the turn resumes, so a checkpoint costs O(turn), not O(thread).
   */
  historyApart?: boolean;
  /**
   * The tokens of this turn's model responses not yet in the requester's usage tally: they are
   * added as the turn closes, in the same transaction (or at an approval pause), not one write
   * per response; checkpointed, so a run that dies does not lose those already counted here.
   */
  tokens?: Tokens;
}

/**
 * The record as checkpointed: this turn's messages only, without the history in front, and no
 * attached file's bytes (the model gets those fetched anew on each run, see withFiles; the
 * state should hold none, and a checkpoint in Redis never does).
 */
export function storedForm(record: TurnRecord): TurnRecord {
  const { state } = record;
  if (record.historyApart) return record;
  const messages = [...withoutFileBlocks(state.messages.slice(state.turnStart))];
  return { ...record, state: { ...state, messages, turnStart: 0 }, historyApart: true };
}

/**
 * The record of a turn that failed for good, ready to finish: its messages closed with the
 * failure (so the history keeps what it did), and the message to show, naming the writes made.
 */
export function failedForm(
  record: TurnRecord,
  err: unknown,
  extraDestructive?: ReadonlySet<string>,
): TurnRecord {
  const stored = storedForm(record);
  const { state } = stored;
  const answer = [doneBeforeFailure(completedWrites(state, extraDestructive)), userMessageFor(err)]
    .filter(Boolean)
    .join(' ');
  const messages = closeFailedTurn(state, answer);
  return {
    ...stored,
    state: { ...state, messages, turnStart: 0, results: {}, started: [], decisions: {} },
    status: 'finishing',
    approvals: [],
    answer,
  };
}

/**
 * A stored record made whole again: the thread's history as it is now in front of the turn's
 * own messages (other turns may have finished while this one waited for an approval).
 */
export function withHistory(
  record: TurnRecord,
  history: readonly TurnState['messages'][number][],
): TurnRecord {
  if (!record.historyApart) return record;
  const { state } = record;
  return {
    ...record,
    state: { ...state, messages: [...history, ...state.messages], turnStart: history.length },
    historyApart: undefined,
  };
}

/** A person's answer to an approval request. */
export interface ApprovalDecision {
  turnId: string;
  /** The Slack user who clicked. Only the requester's click counts. */
  userId: string;
  decision: 'approved' | 'denied';
  /** Which pause it answers (its first pending call); a stale click on an earlier one is ignored. */
  pauseId?: string;
  /** The click's trace (W3C traceparent), carried through the queue. */
  traceparent?: string;
  /** The trace of the turn the click resumes: the decision's span links to it. */
  turnTraceparent?: string;
}
