import { trimHistory } from '../agent/history.js';
import type { ModelClient } from '../agent/model-client.js';
import { startTurnState } from '../agent/turn-state.js';
import type { ConversationMessage } from '../agent/types.js';
import type { SessionProvider } from '../composio/composio-sessions.js';
import { userMessageFor, withCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/stores.js';
import { advanceTurn, threadOf } from './advance-turn.js';
import { quoteThread, type ThreadContextSource } from './thread-context.js';
import type { TurnOutput } from './turn-output.js';
import { type ApprovalDecision, storedForm, type TurnRecord } from './turn-record.js';
import { MAX_REQUEST_CHARS, type TurnRequest } from './turn-request.js';

export { turnContext } from './advance-turn.js';

/** What the turn runner needs, passed in by the composition root. */
export interface TurnDeps {
  stores: Stores<ConversationMessage, TurnRecord>;
  sessions: SessionProvider;
  model: ModelClient;
  output: TurnOutput;
  /** Reads the thread's other messages for context; none without it. */
  context?: ThreadContextSource;
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
}

/** The outcome of a click on Approve or Deny. */
export type DecisionResult = 'resumed' | 'not_requester' | 'not_found';

/** Runs turns (resuming one that an earlier run left part-way), and resumes approved ones. */
export interface TurnRunner {
  run(request: TurnRequest): Promise<void>;
  decide(decision: ApprovalDecision): Promise<DecisionResult>;
}

export const HELP_REPLY =
  'Hi! Ask me to do something in Confluence, for example: _create a page titled "Launch Plan" in space MKT_, _add the label urgent to "Q3 planning"_, or _summarise this thread into a new page_.';

/** Creates the use case that answers Slack requests with the agent. */
export function createTurnRunner(deps: TurnDeps): TurnRunner {
  const { stores, output } = deps;

  /** The request text, preceded by the thread messages the agent has not seen yet (quoted). */
  async function withThreadContext(request: TurnRequest): Promise<string> {
    const scope = request.threadContext ?? 'since_last_turn';
    const inThread = request.threadTs !== request.messageTs || scope === 'whole_thread';
    if (!deps.context || scope === 'none' || !inThread) return request.text;
    const thread = threadOf(request);
    const after =
      scope === 'since_last_turn'
        ? await withCode('store_unavailable', 'cursor load failed', () =>
            stores.threadCursors.get(thread.teamId, thread.channel, thread.threadTs),
          )
        : undefined;
    const messages = await withCode('slack_failed', 'thread read failed', () =>
      deps.context!.read(request, after ?? undefined),
    );
    return messages.length ? `${quoteThread(messages)}\n\n${request.text}` : request.text;
  }

  async function guarded(request: TurnRequest, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      deps.logger.error({ err, turn: request.id }, 'turn failed');
      // The record holds the request as it stands (an announced turn has its real thread).
      const record = await stores.turns.get(request.id).catch(() => null);
      await stores.turns.delete(request.id).catch(() => {});
      await output
        .answer(record?.request ?? request, userMessageFor(err))
        .catch((postErr) =>
          deps.logger.error(
            { err: postErr, turn: request.id },
            'could not post the failure message',
          ),
        );
      // Told once: a run of this job again (its worker died just now) does not start it over.
      await stores.doneTurns.set('1', request.id).catch(() => {});
    }
  }

  /** Queues `next` in its thread's line (idempotent: its job id is fixed), then ends this one. */
  async function handOver(request: TurnRequest, next: TurnRequest): Promise<void> {
    await deps.handOver!(next);
    await stores.doneTurns.set('1', request.id).catch(() => {});
    await stores.turns.delete(request.id).catch(() => {});
  }

  async function start(request: TurnRequest): Promise<void> {
    if (!request.text) return output.answer(request, HELP_REPLY);
    if (request.text.length > MAX_REQUEST_CHARS) {
      return output.answer(
        request,
        `That message is ${request.text.length.toLocaleString('en')} characters long; I can take up to ${MAX_REQUEST_CHARS.toLocaleString('en')}. Please shorten it, or put the long part in a page or file and point me to it.`,
      );
    }
    const [done, saved] = await withCode('store_unavailable', 'turn load failed', () =>
      Promise.all([stores.doneTurns.get(request.id), stores.turns.get(request.id)]),
    );
    if (done && !saved) {
      deps.logger.info({ turn: request.id }, 'turn already answered; not run again');
      return;
    }
    if (saved?.status === 'awaiting_approval') return; // this delivery already ran up to its approval prompt
    if (saved?.status === 'handed_over') return handOver(request, saved.request);
    if (saved) {
      deps.logger.info(
        { turn: request.id, status: saved.status },
        'resuming an interrupted turn from its checkpoint',
      );
      return advanceTurn(deps, saved);
    }
    // The first sign of life goes out before any lookup (a new thread has no place for it yet);
    // the lookups run meanwhile, side by side.
    const statusShown = !request.announce;
    const shown = statusShown ? output.status(request, '').catch(() => {}) : undefined;
    let current = request;
    if (request.announce) {
      const announced = output.announce ? await output.announce(request) : { ...request };
      if (!announced) return;
      current = { ...announced, announce: undefined };
      if (deps.handOver && current.threadTs !== request.threadTs) {
        const next: TurnRequest = { ...current, id: `${request.id}-thread` };
        // Recorded first, so that a run of this job again hands over without announcing twice.
        await withCode('store_unavailable', 'turn save failed', () =>
          stores.turns.set(
            {
              request: next,
              composioUserId: '',
              state: startTurnState([], ''),
              status: 'handed_over',
              approvals: [],
            },
            request.id,
          ),
        );
        return handOver(request, next);
      }
    }
    const [history, composioUserId, userText] = await Promise.all([
      withCode('store_unavailable', 'history load failed', () =>
        stores.history.load(threadOf(current)),
      ),
      withCode('store_unavailable', 'identity lookup failed', () => deps.composioUserIdOf(current)),
      withThreadContext(current),
      shown,
    ]);
    const state = startTurnState(trimHistory(history, deps.historyBudgetTokens), userText);
    if (request.announce) {
      // Recorded at once, so that a resumed run never announces twice.
      await withCode('store_unavailable', 'turn save failed', () =>
        stores.turns.set(
          storedForm({ request: current, composioUserId, state, status: 'running', approvals: [] }),
          request.id,
        ),
      );
    }
    await advanceTurn(
      deps,
      { request: current, composioUserId, state, status: 'running', approvals: [] },
      { statusShown },
    );
  }

  return {
    run: (request) => guarded(request, () => start(request)),

    async decide(decision) {
      const record = await withCode('store_unavailable', 'approval load failed', () =>
        stores.turns.get(decision.turnId),
      );
      if (!record) return 'not_found';
      if (record.request.userId !== decision.userId) return 'not_requester';
      const pause = decision.pauseId;
      if (record.status !== 'awaiting_approval') {
        // Only the decision that resumed this run may carry it on (a stale click may not).
        if (pause && !record.state.decisions[pause]) return 'not_found';
        // A decision already applied, whose run was interrupted: carry on from the checkpoint.
        await guarded(record.request, () => advanceTurn(deps, record));
        return 'resumed';
      }
      if (pause && record.approvals[0]?.toolUseId !== pause) return 'not_found';
      for (const approval of record.approvals)
        record.state.decisions[approval.toolUseId] = decision.decision;
      const resumed: TurnRecord = { ...record, status: 'running', approvals: [] };
      await stores.turns.set(resumed, decision.turnId);
      await guarded(record.request, () => advanceTurn(deps, resumed));
      return 'resumed';
    },
  };
}
