import type Anthropic from '@anthropic-ai/sdk';
import { bestEffort } from '../logger.js';
import type { ThreadMessage } from './thread-context.js';
import { combineSummaries, partRequest, planWholeThread } from './thread-parts.js';
import type { TurnDeps } from './turn-deps.js';
import type { TurnRequest } from './turn-request.js';

const textOf = (reply: Anthropic.Message) =>
  reply.content
    .flatMap((b) => (b.type === 'text' ? [b.text] : []))
    .join('\n')
    .trim();

/**
 * The whole thread as the agent reads it (the "Summarise to Confluence" shortcut), headed by
 * how many messages it holds and their dates. A thread that fits the history budget's context
 * share is quoted as it is; a longer one is summarised in parts first, one model call a part
 * (each request within the budget), so the first message counts as much as the last.
 *
 * The part calls are not counted against the turn's model-call cap (`maxModelCalls`): they have
 * their own bound, SUMMARY_MAX_PARTS, and no tools, so they cannot loop; counting them would
 * leave the very turns they exist for (long threads) too few calls to create the page.
 *
 * They run before the turn's record exists and are not checkpointed: a run that dies meanwhile
 * leaves its queued job, whose next run reads the thread again and redoes them. They change
 * nothing anywhere, so redoing them is safe, and a crash costs at most SUMMARY_MAX_PARTS calls.
 */
export async function wholeThreadContext(
  deps: Pick<TurnDeps, 'model' | 'output' | 'historyBudgetTokens' | 'logger'>,
  request: TurnRequest,
  messages: readonly ThreadMessage[],
): Promise<string> {
  const plan = planWholeThread(messages, deps.historyBudgetTokens);
  if (plan.kind === 'quote') return plan.text;
  const log = deps.logger.child({ turn: request.id });
  const count = plan.parts.length;
  log.info(
    { parts: count, messages: plan.total, leftOut: plan.leftOut },
    'summarising the thread in parts',
  );
  const summaries: string[] = [];
  // One part at a time: the status can say how far it got, and a long thread does not send a
  // burst of full-budget requests at once.
  for (const part of plan.parts) {
    await bestEffort(
      log,
      'show the part status',
      'the status is a courtesy; the parts are read all the same',
      deps.output.statusWords?.(request, `Reading the thread, part ${part.index} of ${count}…`) ??
        Promise.resolve(),
    );
    const notes = textOf(await deps.model.respond(partRequest(plan, part)));
    summaries.push(notes || '(no notes on this part)');
  }
  return combineSummaries(plan, summaries);
}
