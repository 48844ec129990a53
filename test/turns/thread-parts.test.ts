import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/agent/history.js';
import type { ThreadMessage } from '../../src/turns/thread-context.js';
import {
  CONTEXT_SHARE,
  combineSummaries,
  contextBudget,
  fitText,
  partRequest,
  planWholeThread,
  requestTokens,
  SUMMARY_MAX_PARTS,
  type ThreadPlan,
} from '../../src/turns/thread-parts.js';

const DAY = 86_400;
const START = Date.UTC(2026, 10, 5, 9) / 1000; // 2026-11-05 09:00 UTC

/** `n` messages of about `chars` characters, one every `gap` seconds, numbered in their text. */
const thread = (n: number, chars = 250, gap = 60): ThreadMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    ts: `${START + i * gap}.000100`,
    author: i % 2 ? 'Bob Jones' : 'Alice',
    text: `#${i + 1} ${'word '.repeat(chars / 5)}`.slice(0, chars),
  }));

const partsOf = (plan: ThreadPlan) => {
  if (plan.kind !== 'parts') throw new Error('expected a plan in parts');
  return plan;
};

describe('planWholeThread', () => {
  it('quotes a thread that fits the context share as it is, headed by its size and dates', () => {
    const plan = planWholeThread(thread(40, 100, DAY / 4), 60_000);
    expect(plan.kind).toBe('quote');
    if (plan.kind !== 'quote') return;
    expect(plan.text).toContain(
      'The whole thread: 40 messages, from 2026-11-05 to 2026-11-15 (UTC).',
    );
    expect(plan.text).toContain('[Alice] #1 word');
    expect(plan.text).toContain('[Bob Jones] #40 word');
    expect(plan.text).not.toMatch(/left out/);
  });

  it('splits a longer thread into parts whose requests each fit the budget, covering every message once', () => {
    const budget = 20_000;
    const messages = thread(1_000);
    const plan = partsOf(planWholeThread(messages, budget));
    expect(plan.parts.length).toBeGreaterThan(1);
    expect(plan.parts.length).toBeLessThanOrEqual(SUMMARY_MAX_PARTS);
    expect(plan.leftOut).toBe(0);
    expect(plan.parts.flatMap((p) => p.messages)).toEqual(messages);
    expect(plan.parts.map((p) => p.index)).toEqual(plan.parts.map((_, i) => i + 1));
    for (const part of plan.parts) {
      const request = partRequest(plan, part);
      expect(requestTokens(request)).toBeLessThanOrEqual(budget);
      expect(request.tools).toEqual([]);
      expect(request.maxTokens).toBe(plan.summaryTokens);
      const prompt = request.messages[0]!.content as string;
      expect(prompt).toContain(`This is part ${part.index} of ${plan.parts.length} of the thread`);
      expect(prompt).toContain(`] #${part.from} word`);
    }
    expect(plan.facts).toBe(
      'The whole thread: 1,000 messages, from 2026-11-05 to 2026-11-06 (UTC).',
    );
  });

  it('fits the combined summaries in the context share, even when each is as long as it may be', () => {
    const budget = 20_000;
    const plan = partsOf(planWholeThread(thread(1_000), budget));
    // Quotes and newlines cost more once JSON-encoded: the worst case for the estimate.
    const long = '"quoted"\n'.repeat(10_000);
    const combined = combineSummaries(
      plan,
      plan.parts.map(() => long),
    );
    expect(estimateTokens(combined)).toBeLessThanOrEqual(contextBudget(budget));
    expect(combined).toContain(plan.facts);
    expect(combined).toContain(`Part ${plan.parts.length} of ${plan.parts.length} (messages`);
    expect(combined.match(/…\[cut: /g)).toHaveLength(plan.parts.length);
  });

  it('keeps the newest parts of a thread too long for the most parts, and says how many were left out', () => {
    const budget = 10_000;
    const messages = thread(2_000);
    const plan = partsOf(planWholeThread(messages, budget));
    expect(plan.parts).toHaveLength(SUMMARY_MAX_PARTS);
    expect(plan.leftOut).toBeGreaterThan(0);
    expect(plan.parts[0]!.from).toBe(plan.leftOut + 1);
    expect(plan.parts.at(-1)!.messages.at(-1)).toEqual(messages.at(-1));
    expect(combineSummaries(plan, [])).toContain(
      `(${plan.leftOut.toLocaleString('en')} oldest messages left out: too long a thread)`,
    );
  });

  it('with a small budget, makes fewer parts rather than notes too short to keep the thread', () => {
    const plan = partsOf(planWholeThread(thread(500), 1_000));
    expect(plan.parts.length).toBeLessThan(SUMMARY_MAX_PARTS);
    expect(plan.summaryTokens).toBeGreaterThanOrEqual(200);
    for (const part of plan.parts)
      expect(requestTokens(partRequest(plan, part))).toBeLessThanOrEqual(1_000);
    expect(
      estimateTokens(
        combineSummaries(
          plan,
          plan.parts.map(() => 'x'.repeat(5_000)),
        ),
      ),
    ).toBeLessThanOrEqual(1_000 * CONTEXT_SHARE);
  });

  it('cuts a single message too long for a part of its own', () => {
    const budget = 4_000;
    const messages = [
      ...thread(3),
      { ts: `${START + DAY}.000000`, author: 'Caz', text: 'y'.repeat(40_000) },
    ];
    const plan = partsOf(planWholeThread(messages, budget));
    const last = plan.parts.at(-1)!;
    expect(last.lines.at(-1)).toMatch(/^\[Caz\] y+…\[cut: /);
    expect(requestTokens(partRequest(plan, last))).toBeLessThanOrEqual(budget);
  });
});

describe('fitText', () => {
  it('leaves text within the estimate as it is', () => {
    expect(fitText('short', 100)).toBe('short');
  });

  it('cuts text to the estimate, escapes counted, and says it did', () => {
    const cut = fitText('a\n"b"\\'.repeat(2_000), 300);
    expect(estimateTokens(cut)).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/…\[cut: 12,000 characters were too long for one request\]$/);
  });
});
