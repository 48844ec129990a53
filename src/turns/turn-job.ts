import type { ThreadRef } from '../store/stores.js';
import type { ApprovalDecision } from './turn-record.js';
import type { TurnRequest } from './turn-request.js';

/** A unit of agent work: a new request, or a decision that resumes a paused turn. */
export type TurnJob =
  | { kind: 'turn'; request: TurnRequest }
  | { kind: 'decision'; decision: ApprovalDecision; thread: ThreadRef; pauseId: string };

/** The thread a job belongs to: its turns run one at a time, in order. */
export function threadKeyOf(job: TurnJob): string {
  const t = job.kind === 'turn' ? job.request : job.thread;
  return `${t.teamId}:${t.channel}:${t.threadTs}`;
}

/** A stable id per Slack delivery, so re-deliveries of one event collapse into one job. */
export function jobIdOf(job: TurnJob): string {
  const raw =
    job.kind === 'turn'
      ? `turn-${job.request.id}`
      : `decision-${job.decision.turnId}-${job.pauseId}`;
  return raw.replace(/[^A-Za-z0-9_.-]/g, '_');
}
