import type { PendingApproval } from '../agent/agent-config.js';
import type { CitedSource } from '../agent/cited-answer.js';
import type { DescribedOperation } from '../confluence/operations.js';
import type { TurnJob } from './turn-job.js';
import type { VisibleState } from './turn-record.js';
import type { TurnRequest } from './turn-request.js';

/** How a turn shows itself to people; the Slack implementation lives in src/slack. */
export interface TurnOutput {
  /** A visible sign of work in the thread ("Searching Confluence…"). */
  status(request: TurnRequest, text: string): Promise<void>;
  /** A status in plain words, for work that is not a tool ("Reading the thread, part 2 of 5…"). */
  statusWords?(request: TurnRequest, words: string): Promise<void>;
  /** Streams a piece of the answer as it arrives (may buffer). */
  streamText(request: TurnRequest, delta: string): Promise<void>;
  /**
   * The final answer (or a clear failure message) in the thread. When `resumed`, an earlier run
   * may have posted some of it before it died: what is already there is not posted again.
   * `sources`, the pages the answer's markers (`[1]`) point to, are listed under it.
   */
  answer(
    request: TurnRequest,
    markdown: string,
    options?: { resumed?: boolean; sources?: readonly CitedSource[] },
  ): Promise<void>;
  /**
   * Asks the requester to approve destructive calls, each operation named as `operations`
   * describes it; the turn waits. It ends any answer streamed so far: the outcome comes below.
   * When `resumed`, an earlier run may have posted this prompt before it died: it is not posted
   * again if it is there.
   */
  askApproval(
    request: TurnRequest,
    approvals: PendingApproval[],
    operations: DescribedOperation[],
    options?: { resumed?: boolean },
  ): Promise<void>;
  /** Gives the requester, and only them, a link to connect a toolkit. */
  connectLink(request: TurnRequest, toolkit: string, url: string): Promise<void>;
  /**
   * Posts the request's announcement; resolves with the request as it now stands (its new
   * thread, or its reply routed privately), or null when it cannot go on (the user was told).
   * `triedSince` (epoch seconds) says an earlier run began posting it then and may have died
   * after: an announcement of this turn already there is used, not posted again.
   */
  announce?(request: TurnRequest, options?: { triedSince?: number }): Promise<TurnRequest | null>;
  /** What is on screen for this turn now. */
  visibleState(request: TurnRequest): VisibleState;
  /** A resumed turn continues what an interrupted run left on screen instead of repeating it. */
  restore(request: TurnRequest, visible: VisibleState): void;
}

/** What a worker tells people about turns that wait or fail for good. */
export interface TurnNotices {
  waiting(job: TurnJob): Promise<void>;
  failed(job: TurnJob): Promise<void>;
  /** The turn could not be accepted at all (the store is down, or this process is stopping). */
  unavailable(job: TurnJob, reason?: unknown): Promise<void>;
}
