import type { PendingApproval } from '../agent/run-agent.js';
import type { TurnState } from '../agent/turn-state.js';
import type { TurnRequest } from './turn-request.js';

/** A turn as stored while it runs or waits: its request, its state, and what it waits for. */
export interface TurnRecord {
  request: TurnRequest;
  composioUserId: string;
  state: TurnState;
  status: 'running' | 'awaiting_approval';
  approvals: PendingApproval[];
}

/** A person's answer to an approval request. */
export interface ApprovalDecision {
  turnId: string;
  /** The Slack user who clicked. Only the requester's click counts. */
  userId: string;
  decision: 'approved' | 'denied';
}
