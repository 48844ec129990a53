import { estimateTokens, trimHistory } from '../agent/history.js';
import { startTurnState } from '../agent/turn-state.js';
import { describeWithoutLookup } from '../confluence/operations.js';
import { userMessageFor, withCode } from '../errors.js';
import { bestEffort } from '../logger.js';
import type { TurnOutcome } from '../observability/metrics.js';
import { secondsSince } from '../observability/metrics.js';
import { advanceTurn, finish } from './advance-turn.js';
import { quoteThread } from './thread-context.js';
import type { TurnDeps, TurnRunner } from './turn-deps.js';
import { type FileLimits, fileRefusal, withAttachmentLine } from './turn-files.js';
import { failedForm, storedForm, type TurnRecord } from './turn-record.js';
import { MAX_REQUEST_CHARS, type TurnRequest, threadOf } from './turn-request.js';
import { wholeThreadContext } from './whole-thread.js';

export const HELP_REPLY =
  'Hi! Ask me to do something in Confluence, for example: _create a page titled "Launch Plan" in space MKT_, _add the label urgent to "Q3 planning"_, or _summarise this thread into a new page_.';

/** What an earlier run of the same delivery left behind. */
type Previous =
  | { kind: 'none' }
  | { kind: 'answered' }
  | { kind: 'handed_over'; next: TurnRequest }
  | { kind: 'awaiting_approval'; record: TurnRecord }
  | { kind: 'interrupted'; record: TurnRecord };

/**
 * The reply to a request the agent cannot take as it is (empty, too long, or with files it
 * cannot take: too many, too big, of a kind it cannot read); else undefined. A request of files
 * alone is taken: "what does this diagram say" needs no words besides the mention.
 */
export function inputReply(request: TurnRequest, fileLimits?: FileLimits): string | undefined {
  const files = request.files ?? [];
  if (!request.text && !files.length) return HELP_REPLY;
  if (files.length) {
    // Without a way to fetch them (the terminal chat), no file can be taken.
    const refused = fileRefusal(files, fileLimits ?? { maxBytes: 0, maxCount: 0 });
    if (refused) return refused;
  }
  if (request.text.length <= MAX_REQUEST_CHARS) return undefined;
  return `That message is ${request.text.length.toLocaleString('en')} characters long; I can take up to ${MAX_REQUEST_CHARS.toLocaleString('en')}. Please shorten it, or put the long part in a page or file and point me to it.`;
}

/**
 * The id of the turn a slash command hands over to its new thread: derived from the command's
 * own delivery id, so that every run of the command's job queues the same job there (once).
 */
export const handedOverId = (request: TurnRequest) => `${request.id}-thread`;

/** Creates the use case that answers Slack requests with the agent. */
export function createTurnRunner(deps: TurnDeps): TurnRunner {
  const { stores, output } = deps;

  /** The request text, preceded by the thread messages the agent has not seen yet (quoted). */
  async function withThreadContext(request: TurnRequest): Promise<string> {
    const scope = request.threadContext ?? 'since_last_turn';
    const inThread = request.threadTs !== request.messageTs || scope === 'whole_thread';
    // The files' one-line mention: their contents join the model request only (withFiles).
    const text = withAttachmentLine(request.text, request.files);
    if (!deps.context || scope === 'none' || !inThread) return text;
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
    if (!messages.length) return text;
    // The whole thread (the shortcut) is read in full, in parts if it must be.
    const quoted =
      scope === 'whole_thread'
        ? await wholeThreadContext(deps, request, messages)
        : quoteThread(messages);
    return `${quoted}\n\n${text}`;
  }

  /**
   * Tells the requester a turn failed for good, once, and forgets it. What the turn did before it
   * failed is kept: its calls and their results go into the thread's history with the failure,
   * and the message names the writes already made, so neither the requester nor the next turn
   * is left to guess.
   */
  async function failTurn(request: TurnRequest, err: unknown): Promise<void> {
    const log = deps.logger.child({ turn: request.id });
    log.error({ err }, 'turn failed');
    // The record holds the request as it stands (an announced turn has its real thread).
    const record = await stores.turns.get(request.id).catch((readErr) => {
      log.warn({ err: readErr }, 'turn record unreadable; the failure goes to the request as sent');
      return null;
    });
    if (record && record.status !== 'finishing') {
      const closed = failedForm(record, err, deps.extraDestructive);
      // Finished like an answered turn (history, answer once, done mark), and as safely resumed.
      const kept = await withCode('store_unavailable', 'failed turn save failed', () =>
        stores.turns.set(closed, request.id),
      )
        .then(() => finish(deps, closed))
        .then(
          () => true,
          (keepErr) => {
            log.error({ err: keepErr }, 'could not keep the failed turn; telling the requester');
            return false;
          },
        );
      if (kept) return;
    }
    await bestEffort(
      log,
      'forget the failed turn',
      'its record expires on its own, and the done mark stops any run of it again',
      stores.turns.delete(request.id),
    );
    await output
      .answer(record?.request ?? request, userMessageFor(err))
      .catch((postErr) => log.error({ err: postErr }, 'could not post the failure message'));
    // Told once: a run of this job again (its worker died just now) does not start it over.
    await bestEffort(
      log,
      'mark the failed turn done',
      'without it a run of this job again would at worst tell the requester a second time',
      stores.doneTurns.set('1', request.id),
    );
  }

  const metrics = deps.observability?.metrics;
  /** Runs `work`, failing the turn on a throw, and counts how the run ended (if it did). */
  async function guarded(
    request: TurnRequest,
    work: () => Promise<TurnOutcome | undefined>,
  ): Promise<void> {
    const started = Date.now();
    let outcome: TurnOutcome | undefined;
    try {
      outcome = await work();
    } catch (err) {
      outcome = 'failed';
      await failTurn(request, err);
    }
    if (!outcome) return;
    metrics?.turns.inc({ surface: request.source, outcome });
    if (outcome !== 'refused')
      metrics?.turnDuration.observe({ surface: request.source }, secondsSince(started));
  }

  /** The first thing the requester sees: since Slack delivered the request, or the run began. */
  function firstSignShown(request: TurnRequest, started: number) {
    metrics?.firstSign.observe(
      { surface: request.source },
      secondsSince(Math.min(request.receivedAt ?? started, started)),
    );
  }

  async function previousRun(request: TurnRequest): Promise<Previous> {
    const { done, record, handOver } = await withCode('store_unavailable', 'turn load failed', () =>
      stores.lookUpTurn(request.id),
    );
    if (handOver) return { kind: 'handed_over', next: handOver };
    if (record?.status === 'awaiting_approval') return { kind: 'awaiting_approval', record };
    if (record) return { kind: 'interrupted', record };
    return done ? { kind: 'answered' } : { kind: 'none' };
  }

  /** Queues `next` in its thread's line (idempotent: its job id is fixed), then ends this one. */
  async function handOver(request: TurnRequest, next: TurnRequest): Promise<void> {
    await deps.handOver!(next);
    const log = deps.logger.child({ turn: request.id });
    const whySafe = 'the hand-over is idempotent: a run of this job again queues the same job';
    await bestEffort(log, 'mark the command done', whySafe, stores.doneTurns.set('1', request.id));
    await bestEffort(log, 'forget the hand-over', whySafe, stores.handOvers.delete(request.id));
  }

  /**
   * Posts a command's or shortcut's announcement. Resolves with the request as it now stands, or
   * null when the turn must not go on here: the requester was told why, or the turn was handed
   * over to its new thread's line.
   */
  async function announce(request: TurnRequest): Promise<TurnRequest | null> {
    // Written ahead: a run of this turn again (this one may die right after posting) looks for
    // the announcement it may have posted instead of posting another.
    const triedSince = await withCode('store_unavailable', 'announcement mark failed', () =>
      stores.beginAnnouncing(request.id, Math.floor((deps.now?.() ?? new Date()).getTime() / 1000)),
    );
    const announced = output.announce
      ? await output.announce(request, { triedSince })
      : { ...request };
    if (!announced) return null;
    const current: TurnRequest = { ...announced, announce: undefined };
    if (!deps.handOver || current.threadTs === request.threadTs) return current;
    const next: TurnRequest = { ...current, id: handedOverId(request) };
    // Recorded first, so that a run of this job again hands over without announcing twice.
    await withCode('store_unavailable', 'hand-over save failed', () =>
      stores.handOvers.set(next, request.id),
    );
    await handOver(request, next);
    return null;
  }

  /** A new turn: a sign of life, the announcement if any, what the agent needs, then the loop. */
  async function begin(request: TurnRequest): Promise<TurnOutcome | undefined> {
    // The first sign of life goes out before any lookup (a new thread has no place for it yet);
    // the lookups run meanwhile, side by side.
    const started = Date.now();
    const statusShown = !request.announce;
    const shown = statusShown
      ? bestEffort(
          deps.logger.child({ turn: request.id }),
          'show the first status',
          'the status is a courtesy; the answer still comes',
          output.status(request, '').then(() => firstSignShown(request, started)),
        )
      : undefined;
    const current = request.announce ? await announce(request) : request;
    if (request.announce && current) firstSignShown(request, started);
    if (!current) return undefined;
    const [base, composioUserId, userText] = await Promise.all([
      withCode('store_unavailable', 'history load failed', () =>
        stores.history.loadVersioned(threadOf(current)),
      ),
      withCode('store_unavailable', 'identity lookup failed', () => deps.composioUserIdOf(current)),
      withThreadContext(current),
      shown,
    ]);
    // The request counts against the budget too: a long quoted thread leaves less room for history.
    const room = Math.max(0, deps.historyBudgetTokens - estimateTokens(userText));
    const state = startTurnState(trimHistory(base.messages, room, base.jsonChars), userText);
    const record: TurnRecord = {
      request: current,
      composioUserId,
      state,
      status: 'running',
      approvals: [],
    };
    if (request.announce) {
      // Recorded at once, so that a resumed run never announces twice.
      await withCode('store_unavailable', 'turn save failed', () =>
        stores.turns.set(storedForm(record), request.id),
      );
    }
    return advanceTurn(deps, record, { statusShown, base });
  }

  /**
   * Posts a paused turn's approval prompt unless it is already there: a run that saved the pause
   * may have died before (or while) posting it.
   */
  function askAgain(record: TurnRecord): Promise<void> {
    const operations = record.operations ?? describeWithoutLookup(record.approvals);
    return output.askApproval(record.request, record.approvals, operations, { resumed: true });
  }

  async function start(request: TurnRequest): Promise<TurnOutcome | undefined> {
    const reply = inputReply(request, deps.files?.limits);
    if (reply) {
      // No record marks it done: a run of this job again finds the reply by its mark instead.
      await output.answer(request, reply, { resumed: true });
      return 'refused';
    }
    const previous = await previousRun(request);
    switch (previous.kind) {
      case 'none':
        return begin(request);
      case 'answered':
        deps.logger.info({ turn: request.id }, 'turn already answered; not run again');
        return undefined;
      case 'handed_over':
        await handOver(request, previous.next);
        return undefined;
      case 'awaiting_approval':
        // This delivery already ran up to its approval prompt: it may have died before posting it.
        await askAgain(previous.record);
        return undefined;
      case 'interrupted':
        deps.logger.info(
          { turn: request.id, status: previous.record.status },
          'resuming an interrupted turn from its checkpoint',
        );
        // Counted apart: a run that died is taken over here (and counted again as it ends).
        metrics?.turns.inc({ surface: request.source, outcome: 'taken_over' });
        return advanceTurn(deps, previous.record);
    }
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
        // Only the decision that resumed this run may carry it on (a stale click may not). The
        // pause is looked up among those decided, not in the state, whose decisions are cleared
        // once their calls have run: a run that dies after the write must still be finished.
        if (pause && !record.decided?.includes(pause)) return 'not_found';
        // A decision already applied, whose run was interrupted: carry on from the checkpoint.
        await guarded(record.request, () => advanceTurn(deps, record));
        return 'resumed';
      }
      if (pause && record.approvals[0]?.toolUseId !== pause) {
        // This decision was applied and its run paused again, for another call: a run of it
        // again (its worker died) makes sure the new prompt was posted.
        if (!record.decided?.includes(pause)) return 'not_found';
        await guarded(record.request, async () => {
          await askAgain(record);
          return undefined;
        });
        return 'resumed';
      }
      for (const approval of record.approvals)
        record.state.decisions[approval.toolUseId] = decision.decision;
      const resumed: TurnRecord = {
        ...record,
        status: 'running',
        approvals: [],
        operations: undefined,
        decided: [...(record.decided ?? []), ...(pause ? [pause] : [])],
      };
      await withCode('store_unavailable', 'decision save failed', () =>
        stores.turns.set(resumed, decision.turnId),
      );
      if (decision.decision === 'denied')
        metrics?.turns.inc({ surface: record.request.source, outcome: 'denied' });
      await guarded(record.request, () => advanceTurn(deps, resumed));
      return 'resumed';
    },
  };
}
