import type { SessionProvider } from '../agent/composio-sessions.js';
import { stripConnectLinks } from '../agent/connection-links.js';
import { compactForStorage, trimHistory } from '../agent/history.js';
import type { ModelClient } from '../agent/model-client.js';
import { type AgentEvent, runAgentTurn } from '../agent/run-agent.js';
import { startTurnState } from '../agent/turn-state.js';
import type { ConversationMessage } from '../agent/types.js';
import { userMessageFor, withCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Stores, ThreadRef } from '../store/stores.js';
import { quoteThread, type ThreadContextSource } from './thread-context.js';
import type { TurnOutput } from './turn-output.js';
import type { ApprovalDecision, TurnRecord } from './turn-record.js';
import { MAX_REQUEST_CHARS, type TurnRequest } from './turn-request.js';

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

/** Runs turns, and resumes those paused for approval. */
export interface TurnRunner {
  run(request: TurnRequest): Promise<void>;
  decide(decision: ApprovalDecision): Promise<DecisionResult>;
}

export const HELP_REPLY =
  'Hi! Ask me to do something in Confluence, for example: _create a page titled "Launch Plan" in space MKT_, _add the label urgent to "Q3 planning"_, or _summarise this thread into a new page_.';

/** The per-turn facts for the model: kept out of the cached prefix. */
export function turnContext(request: TurnRequest, now: Date): string {
  return `Today is ${now.toISOString().slice(0, 10)} (UTC). You are acting for Slack user <@${request.userId}>; every tool call runs with their Confluence connection.`;
}

const threadOf = (r: TurnRequest): ThreadRef => ({
  teamId: r.teamId,
  channel: r.channel,
  threadTs: r.threadTs,
});

/** Creates the use case that answers Slack requests with the agent. */
export function createTurnRunner(deps: TurnDeps): TurnRunner {
  const { stores, output } = deps;

  async function advance(record: TurnRecord): Promise<void> {
    const { request } = record;
    const log = deps.logger.child({ turn: request.id, source: request.source });
    const tools = await withCode('tools_unavailable', 'tool session failed', () =>
      deps.sessions.forUser(record.composioUserId),
    );
    // Text of separate model calls is separated by a blank line, as in the final answer.
    let streamed = false;
    let newResponse = false;
    const onEvent = (event: AgentEvent) => {
      if (event.type === 'tool_end') newResponse = true;
      const delta =
        event.type === 'text' && streamed && newResponse
          ? `\n\n${event.delta}`
          : event.type === 'text'
            ? event.delta
            : '';
      if (event.type === 'text') {
        streamed = true;
        newResponse = false;
      }
      const shown =
        event.type === 'text'
          ? output.streamText(request, delta)
          : event.type === 'tool_start'
            ? output.status(request, event.slugs.join(','))
            : event.type === 'needs_connection' && event.request.redirectUrl
              ? output.connectLink(request, event.request.toolkit, event.request.redirectUrl)
              : undefined;
      shown?.catch((err) => log.warn({ err }, 'could not show progress'));
    };
    await output.status(request, '').catch((err) => log.warn({ err }, 'could not show status'));
    const result = await withCode('model_unavailable', 'agent turn failed', () =>
      runAgentTurn(
        {
          model: deps.model,
          tools: tools.host,
          catalog: tools.catalog,
          system: deps.system,
          turnContext: turnContext(request, deps.now?.() ?? new Date()),
          maxModelCalls: deps.maxModelCalls,
          toolkits: deps.toolkits,
          extraDestructive: deps.extraDestructive,
          onEvent,
          onCheckpoint: (state) =>
            stores.turns.set({ ...record, state, status: 'running' }, request.id),
        },
        record.state,
      ),
    );
    if (result.status === 'paused') {
      await withCode('store_unavailable', 'approval save failed', () =>
        stores.turns.set(
          {
            ...record,
            state: result.state,
            status: 'awaiting_approval',
            approvals: result.approvals,
          },
          request.id,
        ),
      );
      await output.askApproval(request, result.approvals);
      log.info({ approvals: result.approvals.length }, 'turn waiting for approval');
      return;
    }
    const kept = trimHistory(compactForStorage(result.state.messages), deps.historyBudgetTokens);
    await withCode('store_unavailable', 'history save failed', () =>
      stores.history.save(threadOf(request), kept),
    );
    await stores.turns.delete(request.id).catch(() => {});
    await stores.threadCursors
      .set(request.messageTs, request.teamId, request.channel, request.threadTs)
      .catch((err) => log.warn({ err }, 'thread cursor not saved'));
    await output.answer(request, stripConnectLinks(result.text) || '(no answer)');
    log.info({ outcome: result.outcome, modelCalls: result.state.modelCalls }, 'turn finished');
  }

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
      await output
        .answer(request, userMessageFor(err))
        .catch((postErr) =>
          deps.logger.error(
            { err: postErr, turn: request.id },
            'could not post the failure message',
          ),
        );
    }
  }

  return {
    run: (request) =>
      guarded(request, async () => {
        if (!request.text) return output.answer(request, HELP_REPLY);
        if (request.text.length > MAX_REQUEST_CHARS) {
          return output.answer(
            request,
            `That message is ${request.text.length.toLocaleString('en')} characters long; I can take up to ${MAX_REQUEST_CHARS.toLocaleString('en')}. Please shorten it, or put the long part in a page or file and point me to it.`,
          );
        }
        const history = await withCode('store_unavailable', 'history load failed', () =>
          stores.history.load(threadOf(request)),
        );
        const composioUserId = await withCode('store_unavailable', 'identity lookup failed', () =>
          deps.composioUserIdOf(request),
        );
        const userText = await withThreadContext(request);
        const state = startTurnState(trimHistory(history, deps.historyBudgetTokens), userText);
        await advance({ request, composioUserId, state, status: 'running', approvals: [] });
      }),

    async decide(decision) {
      const record = await withCode('store_unavailable', 'approval load failed', () =>
        stores.turns.get(decision.turnId),
      );
      if (record?.status !== 'awaiting_approval') return 'not_found';
      if (record.request.userId !== decision.userId) return 'not_requester';
      for (const approval of record.approvals)
        record.state.decisions[approval.toolUseId] = decision.decision;
      const resumed: TurnRecord = { ...record, status: 'running', approvals: [] };
      await stores.turns.set(resumed, decision.turnId);
      await guarded(record.request, () => advance(resumed));
      return 'resumed';
    },
  };
}
