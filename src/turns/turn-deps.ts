import type { ModelClient } from '../agent/model-client.js';
import type { ConversationMessage } from '../agent/types.js';
import type { SessionProvider } from '../composio/composio-sessions.js';
import type { ConfluenceReads } from '../confluence/confluence-reads.js';
import type { Logger } from '../logger.js';
import type { Observability } from '../observability/observability.js';
import type { Stores } from '../store/stores.js';
import type { UsageStore } from '../store/usage.js';
import type { ThreadContextSource } from './thread-context.js';
import type { FileLimits, FileSource } from './turn-files.js';
import type { TurnOutput } from './turn-output.js';
import type { ApprovalDecision, TurnRecord } from './turn-record.js';
import type { TurnRequest } from './turn-request.js';

/** What the turn runner needs, passed in by the composition root. */
export interface TurnDeps {
  stores: Stores<ConversationMessage, TurnRecord, TurnRequest>;
  sessions: SessionProvider;
  model: ModelClient;
  output: TurnOutput;
  /** Names the targets of calls waiting for approval; without it they show as slug + args. */
  confluence?: Pick<ConfluenceReads, 'describeOperations'>;
  /** Reads the thread's other messages for context; none without it. */
  context?: ThreadContextSource;
  /**
   * Fetches the files attached to requests, and how many and how big they may be; without it
   * (the terminal chat) requests carry none.
   */
  files?: { source: FileSource; limits: FileLimits };
  /** Maps the requester to their Composio user id. */
  composioUserIdOf(request: TurnRequest): Promise<string>;
  /**
   * Queues a request as a turn of its own thread. A slash command's turn, once its root message
   * exists, is handed over to that thread's line, so that a reply someone posts in the new thread
   * meanwhile waits for it instead of running alongside it. Without it the turn runs on as is.
   */
  handOver?(request: TurnRequest): Promise<void>;
  system: string;
  maxModelCalls: number;
  /** Token budget for the history sent with each request. */
  historyBudgetTokens: number;
  toolkits: string[];
  extraDestructive: ReadonlySet<string>;
  logger: Logger;
  now?: () => Date;
  /** Turn, tool and model metrics and spans; none without it (unit tests). */
  observability?: Observability;
  /** Where each response's tokens are tallied for the requester; none without it. */
  usage?: UsageStore;
}

/** The outcome of a click on Approve or Deny. */
export type DecisionResult = 'resumed' | 'not_requester' | 'not_found';

/** Runs turns (resuming one that an earlier run left part-way), and resumes approved ones. */
export interface TurnRunner {
  run(request: TurnRequest): Promise<void>;
  decide(decision: ApprovalDecision): Promise<DecisionResult>;
}
