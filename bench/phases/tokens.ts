import { seededConversation, seedThreadHistory } from '../seed-history.js';
import { round } from '../stats.js';
import { accountRequests, prefixKey, type RequestTokens } from '../token-accounting.js';
import { type PhaseContext, requireOk } from './context.js';

/** Input tokens over a long conversation, and for seeded long threads against the budget. */
export interface TokenResult {
  threadTurns: number;
  /** Every model request of the thread, in order. */
  requests: RequestTokens[];
  inputFirst: number;
  inputLast: number;
  inputMean: number;
  /** Mean input not read from the prompt cache (billed in full, or as a cache write). */
  uncachedMean: number;
  /** Mean over requests 2…n of the share that is a reused cache-eligible prefix. */
  reusedPrefixShare: number;
  cacheReadShare: number;
  /** Mean over requests 2…n of the share repeating the previous request from its start. */
  repeatedShare: number;
  /** The cache-eligible prefix (tools + system) byte-identical in every request of the thread. */
  prefixIdentical: boolean;
  /** Whether the requests mark a cache breakpoint at all. */
  cacheMarked: boolean;
  budget: number;
  /** The first model request of a turn in a thread seeded with this many messages. */
  longThreads: Array<{ messages: number; input: number; history: number; withinBudget: boolean }>;
}

const CHANNEL = 'CBENCHTOK';

/** Seeded thread lengths: a fifth of the long one, and the long one. */
const lengthsFor = (long: number) => [
  ...new Set([Math.max(4, Math.round(long / 20) * 4), Math.max(4, long)]),
];

/** Runs a `threadTurns`-turn thread, then one turn in each seeded long thread. */
export async function measureTokens(ctx: PhaseContext): Promise<TokenResult> {
  const { up, driver, options } = ctx;
  up.setLatency({ modelMs: 0, toolMs: 0, composioMs: 0, slackMs: 0 });
  await up.settle();
  const user = ctx.newUser();
  const first = up.anthropic.requests.length;
  let threadTs: string | undefined;
  for (let turn = 0; turn < options.threadTurns; turn++) {
    const sample = await driver.turn({ user, channel: CHANNEL, threadTs });
    requireOk('tokens', [sample]);
    threadTs = sample.threadTs;
  }
  const bodies = up.anthropic.requests.slice(first).map((r) => r.body);
  const requests = accountRequests(bodies);
  const later = requests.slice(1);
  const mean = (values: number[]) =>
    values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;

  const longThreads: TokenResult['longThreads'] = [];
  for (const messages of lengthsFor(options.longThreadMessages)) {
    const root = up.slack.addMessage({ channel: CHANNEL, user, text: 'Planning thread' });
    const thread = { teamId: up.slack.teamId, channel: CHANNEL, threadTs: root.ts };
    const seeded = seededConversation(messages);
    await seedThreadHistory(up.redis.url, ctx.variant, thread, seeded);
    const mark = up.anthropic.requests.length;
    requireOk('long thread', [await driver.turn({ user, channel: CHANNEL, threadTs: root.ts })]);
    const [tokens] = accountRequests([up.anthropic.requests[mark]!.body]);
    longThreads.push({
      messages: seeded.length,
      input: tokens!.input,
      history: tokens!.history,
      withinBudget: tokens!.history <= options.historyTokens,
    });
  }
  up.exchanges.length = 0;
  return {
    threadTurns: options.threadTurns,
    requests,
    inputFirst: requests[0]?.input ?? 0,
    inputLast: requests.at(-1)?.input ?? 0,
    inputMean: round(mean(requests.map((r) => r.input)), 0),
    uncachedMean: round(mean(requests.map((r) => r.input * (1 - r.cacheReadShare))), 0),
    reusedPrefixShare: round(mean(later.map((r) => r.reusedPrefixShare)), 3),
    cacheReadShare: round(mean(later.map((r) => r.cacheReadShare)), 3),
    repeatedShare: round(mean(later.map((r) => r.repeatedShare)), 3),
    prefixIdentical: new Set(bodies.map(prefixKey)).size === 1,
    cacheMarked: requests.every((r) => r.prefix > 0),
    budget: options.historyTokens,
    longThreads,
  };
}
