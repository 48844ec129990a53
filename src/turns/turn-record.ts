import type { PendingApproval } from '../agent/run-agent.js';
import type { TurnState } from '../agent/turn-state.js';
import type { VisibleState } from './turn-output.js';
import type { TurnRequest } from './turn-request.js';

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
  visible?: VisibleState;
  /** The answer to show, once the turn is finishing. */
  answer?: string;
}

/** A person's answer to an approval request. */
export interface ApprovalDecision {
  turnId: string;
  /** The Slack user who clicked. Only the requester's click counts. */
  userId: string;
  decision: 'approved' | 'denied';
  /** Which pause it answers (its first pending call); a stale click on an earlier one is ignored. */
  pauseId?: string;
}
