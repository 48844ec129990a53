import { stripConnectLinks } from '../agent/connection-links.js';
import { compactForStorage, joinedJsonChars, trimHistory } from '../agent/history.js';
import { withUsageReport } from '../agent/observed-model.js';
import { observeTools } from '../agent/observed-tools.js';
import { runAgentTurn } from '../agent/run-agent.js';
import type { ConversationMessage } from '../agent/types.js';
import { describeWithoutLookup } from '../confluence/operations.js';
import { withCode } from '../errors.js';
import { bestEffort } from '../logger.js';
import type { ThreadRef, VersionedHistory } from '../store/stores.js';
import { addTokens } from '../store/usage.js';
import { createProgressHandler } from './progress.js';
import type { TurnDeps } from './turn-deps.js';
import { loadFileBlocks, withFiles } from './turn-files.js';
import { storedForm, type TurnRecord, withHistory } from './turn-record.js';
import { type TurnRequest, threadOf } from './turn-request.js';

/** The per-turn facts for the model: kept out of the cached prefix. */
export function turnContext(request: TurnRequest, now: Date): string {
  return `Today is ${now.toISOString().slice(0, 10)} (UTC). You are acting for Slack user <@${request.userId}>; every tool call runs with their Confluence connection.`;
}

/** Where a run of a turn stopped: answered, or paused for approval. */
export type RunEnd = 'answered' | 'awaiting_approval';

/**
 * Runs a turn from its saved record until it answers or pauses for approval, checkpointing
 * as it goes, so that any instance can pick it up again where it stopped.
 */
export async function advanceTurn(
  deps: TurnDeps,
  record: TurnRecord,
  options: {
    statusShown?: boolean;
    /** The thread's whole history as this run read it (the turn's state holds it trimmed). */
    base?: VersionedHistory<ConversationMessage>;
  } = {},
): Promise<RunEnd> {
  const { stores, output } = deps;
  const { request } = record;
  const log = deps.logger.child({ turn: request.id, source: request.source });
  let latest = record;
  let savedStreamTs = record.visible?.streamTs;
  // A save is sent the moment it is asked for (serialised at once, on one connection, so writes
  // land in the order asked and the stored record only moves forward, whoever asked: a
  // checkpoint or a new stream message). The promise covers every save before it too.
  let writing: Promise<unknown> = Promise.resolve();
  // This turn's tokens not yet in the requester's tally: saved with each checkpoint, added to
  // the tally as the turn closes (one transaction with its closing writes) or pauses.
  let tokens = record.tokens;
  const save = (next: TurnRecord, visible = output.visibleState(request)) => {
    latest = next;
    savedStreamTs = visible.streamTs;
    const written = withCode('store_unavailable', 'turn checkpoint failed', () =>
      stores.turns.set(storedForm({ ...next, tokens, visible }), request.id),
    );
    writing = Promise.all([writing, written]);
    writing.catch(() => {}); // reported where it is awaited
    return writing as Promise<unknown> as Promise<void>;
  };
  // A message the answer is streaming into is saved as soon as it exists, so that a run that
  // dies mid-stream is finished in that message rather than answered twice.
  const onStreamed = async () => {
    if (output.visibleState(request).streamTs !== savedStreamTs) await save(latest);
  };
  if (record.visible) output.restore(request, record.visible);
  if (record.status === 'finishing') {
    await finish(deps, storedForm(record), true);
    return 'answered';
  }
  let base = options.base;
  if (record.historyApart) {
    base = await withCode('store_unavailable', 'history load failed', () =>
      stores.history.loadVersioned(threadOf(request)),
    );
    record = withHistory(
      record,
      trimHistory(base.messages, deps.historyBudgetTokens, base.jsonChars),
    );
    latest = record;
  }

  log.info({ status: record.status, modelCalls: record.state.modelCalls }, 'turn started');
  const tools = await withCode('tools_unavailable', 'tool session failed', () =>
    deps.sessions.forUser(record.composioUserId),
  );
  if (!options.statusShown) {
    await output.status(request, '').catch((err) => log.warn({ err }, 'could not show status'));
  }
  const progress = createProgressHandler(output, request, log, onStreamed);
  const onEvent: typeof progress = Object.assign(
    (event: Parameters<typeof progress>[0]) => {
      if (event.type === 'tool_in_doubt')
        deps.observability?.metrics.toolCalls.inc({ tool: event.name, outcome: 'in_doubt' });
      progress(event);
    },
    { flush: progress.flush },
  );
  // The files go to the model with each call of this run, fetched again from Slack rather than
  // kept: a checkpoint (in Redis) holds only their one-line mention.
  const files = deps.files && request.files?.length ? { ...deps.files, refs: request.files } : null;
  const withFileBlocks = files
    ? withFiles(deps.model, record.state.turnStart, () =>
        loadFileBlocks(files.refs, files.source, files.limits),
      )
    : deps.model;
  const model = deps.usage
    ? withUsageReport(withFileBlocks, (used) => {
        tokens = addTokens(tokens, used);
      })
    : withFileBlocks;
  // The model, store and tools report their own failures with their codes (tool errors go back
  // to Claude as results); whatever else escapes the loop is a bug of ours, not Claude being busy.
  const result = await withCode('internal', 'agent turn failed', () =>
    runAgentTurn(
      {
        model,
        tools: deps.observability ? observeTools(tools.host, deps.observability) : tools.host,
        catalog: tools.catalog,
        system: deps.system,
        turnContext: turnContext(request, deps.now?.() ?? new Date()),
        maxModelCalls: deps.maxModelCalls,
        toolkits: deps.toolkits,
        extraDestructive: deps.extraDestructive,
        onEvent,
        onCheckpoint: (state) => save({ ...record, state, status: 'running' }),
      },
      record.state,
    ),
  );
  if (result.status === 'paused') {
    // What Claude wrote before the pause reads whole above the prompt.
    await progress.flush().catch((err) => log.warn({ err }, 'could not show progress'));
    // Each target named before asking (looked up with the requester's own connection).
    const operations = deps.confluence
      ? await deps.confluence.describeOperations(record.composioUserId, result.approvals)
      : describeWithoutLookup(result.approvals);
    // The tokens so far go to the tally now: the click that resumes the turn may never come.
    const spent = tokens;
    tokens = undefined;
    // Saved with nothing streaming: the prompt ends the message streamed above it, and the
    // outcome after the click is a new message below the prompt, never a rewrite of that one.
    await save(
      {
        ...record,
        state: result.state,
        status: 'awaiting_approval',
        approvals: result.approvals,
        operations,
      },
      {},
    );
    if (deps.usage && spent) {
      await bestEffort(
        log,
        'tally the tokens',
        'the usage figures are informational; the turn goes on',
        deps.usage.add(record.composioUserId, spent),
      );
    }
    await output.askApproval(request, result.approvals, operations);
    log.info({ approvals: result.approvals.length }, 'turn waiting for approval');
    return 'awaiting_approval';
  }
  const finishing: TurnRecord = {
    ...record,
    state: result.state,
    status: 'finishing',
    answer: stripConnectLinks(result.text) || '(no answer)',
    ...(result.sources.length ? { sources: result.sources } : {}),
    tokens,
  };
  const saved = save(finishing);
  log.info({ outcome: result.outcome, modelCalls: result.state.modelCalls }, 'turn finished');
  await finish(deps, finishing, false, saved, base);
  return 'answered';
}

/**
 * Appends the turn to the thread's history and shows the answer, then forgets the turn. Safe to
 * repeat after a crash: a turn already appended is not appended twice, an answer already posted
 * is not posted again.
 */
export async function finish(
  deps: TurnDeps,
  record: TurnRecord,
  resumed = false,
  /** The write of the finishing record, still under way: it must land before the answer shows. */
  saved?: Promise<void>,
  base?: VersionedHistory<ConversationMessage>,
): Promise<void> {
  const { request, state } = record;
  const thread = threadOf(request);
  const added = compactForStorage(state.messages.slice(state.turnStart));
  await saved;
  // The history and the answer go out together: the finishing record has landed, so a run that
  // dies with one done and not the other is finished by a run again (which appends the history
  // once and posts the answer once, whichever was missing).
  await Promise.all([
    appendToHistory(deps, thread, added, base),
    // A run that died after posting (some of) the answer must not post it twice.
    deps.output.answer(request, record.answer ?? '(no answer)', {
      resumed,
      sources: record.sources,
    }),
  ]);
  // The turn's tokens join its requester's tally in the closing transaction (a courtesy figure:
  // if that write fails the record stays, and a run again adds them as it closes the turn).
  const tally =
    deps.usage && record.tokens ? deps.usage.writesFor(record.composioUserId, record.tokens) : [];
  // Marked done as its record goes (one transaction): if this worker dies before BullMQ hears
  // the job finished, the job runs again elsewhere and must find the turn answered, not start it
  // anew. If the write fails, the record stays, so a run again finishes it without posting twice
  // (and the next turn quotes a few thread messages it has already seen).
  await bestEffort(
    deps.logger.child({ turn: request.id }),
    'close the finished turn',
    'its record stays, so a run of this job again finishes it without posting twice',
    deps.stores.finishTurn(request.id, thread, request.messageTs, tally),
  );
}

/**
 * Appends `added` to the history this run read (`base`) when no save has come since (the
 * thread's line runs its turns one at a time, so this is the rule); else to the history read
 * again, unless it already ends with them (a run again of a turn whose append landed).
 */
async function appendToHistory(
  deps: TurnDeps,
  thread: ThreadRef,
  added: ConversationMessage[],
  base: VersionedHistory<ConversationMessage> | undefined,
): Promise<void> {
  const { history } = deps.stores;
  const addedJson = JSON.stringify(added);
  // The thread is measured from the JSON it was read from: serialised once, by the save.
  const appendedTo = (to: VersionedHistory<ConversationMessage>, ifVersion?: string) =>
    withCode('store_unavailable', 'history save failed', () =>
      history.save(
        thread,
        trimHistory(
          [...to.messages, ...added],
          deps.historyBudgetTokens,
          joinedJsonChars(to.jsonChars, addedJson.length),
        ),
        ifVersion,
      ),
    );
  if (base && (await appendedTo(base, base.version))) return;
  const current = await withCode('store_unavailable', 'history load failed', () =>
    history.loadVersioned(thread),
  );
  const { messages } = current;
  const already =
    messages.length >= added.length && JSON.stringify(messages.slice(-added.length)) === addedJson;
  if (!already) await appendedTo(current);
}
