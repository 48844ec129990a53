/**
 * "Summarise to Confluence" on the whole thread (src/turns/whole-thread.ts, thread-parts.ts): a
 * thread too long for one request is read in parts, each request within the history budget, and
 * the page draws on its first message as much as on its last; a short thread is quoted whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/agent/history.js';
import { composioUserOf } from '../kit/agent-helpers.js';
import { lastUserText, type RecordedRequest } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import {
  hasTools,
  MARKERS,
  MESSAGE_CHARS,
  seedMarkedThread,
  submitSummarise,
  summarisingModel,
} from '../kit/summarise-thread.js';

const CHANNEL = 'C0LONGTHREAD';
const ALICE = 'U0LONGALICE';
const BOB = 'U0LONGBOB';
const MESSAGES = 1_000; // the root and 999 replies

/** The request's size as the history budget counts it (the same estimate as the app's). */
const sizeOf = (r: RecordedRequest) =>
  estimateTokens(r.body.system) + estimateTokens(r.body.messages);
const dayOf = (ts: string) => new Date(Number(ts) * 1000).toISOString().slice(0, 10);

describe('summarising a whole thread', () => {
  let h: Harness;
  let budget: number;

  /** Summarises the thread `rootTs` into page `title`; resolves with the page once answered. */
  async function summarise(rootTs: string, title: string) {
    h.anthropic.respondWith(summarisingModel(title));
    await submitSummarise(h, { user: ALICE, channel: CHANNEL, rootTs, title });
    await h.waitForBotReply(CHANNEL, rootTs, `Created ${title}.`, 30_000);
    const site = h.composio.confluence.site(composioUserOf(h, ALICE));
    return site.pages.find((p) => p.title === title)!;
  }

  beforeAll(async () => {
    h = await startHarness();
    budget = h.config.agent.historyBudgetTokens;
    h.slack.addUser({ id: ALICE, name: 'alice', real_name: 'Alice Smith' });
    h.slack.addUser({ id: BOB, name: 'bob', real_name: 'Bob Jones' });
    h.composio.connect(composioUserOf(h, ALICE));
  });
  afterAll(() => h?.stop());

  it('reads a thread of 1,000 messages in parts, each request within the budget, and the page draws on the first and the last', async () => {
    const seeded = { channel: CHANNEL, users: [ALICE, BOB] as [string, string] };
    const { root, last } = seedMarkedThread(h.slack, { ...seeded, count: MESSAGES, tag: 'long' });
    const before = h.anthropic.requests.length;

    const page = await summarise(root.ts, 'Long retro');

    const requests = h.anthropic.requests.slice(before);
    const parts = requests.filter((r) => !hasTools(r));
    const agent = requests.filter(hasTools);
    // About 250,000 characters: more than one request may carry at the default budget.
    expect(MESSAGES * MESSAGE_CHARS).toBeGreaterThan(budget * 4);
    expect(parts.length).toBeGreaterThan(1);
    expect(agent).toHaveLength(2); // create the page, then answer
    // Every request, parts and agent alike, within the history budget.
    for (const r of requests) expect(sizeOf(r)).toBeLessThanOrEqual(budget);
    // The parts cover the thread in order: the first quotes its first message, the last its last.
    for (const [i, r] of parts.entries()) {
      expect(lastUserText(r)).toContain(`This is part ${i + 1} of ${parts.length} of the thread`);
    }
    expect(lastUserText(parts[0]!)).toContain('[Alice Smith] FIRST-MARKER-long kickoff');
    expect(lastUserText(parts.at(-1)!)).toContain('LAST-MARKER-long wrap-up');
    // The agent got the part notes and the thread's facts, not the thread itself.
    const days = [dayOf(root.ts), dayOf(last.ts)];
    const range = days[0] === days[1] ? `on ${days[0]}` : `from ${days[0]} to ${days[1]}`;
    const facts = `The whole thread: 1,000 messages, ${range} (UTC).`;
    const asked = lastUserText(agent[0]!);
    expect(asked).toContain(facts);
    expect(asked).toContain(`Part ${parts.length} of ${parts.length} (messages`);
    expect(asked).not.toContain('filler line 500:');
    // The page says what it covers, and draws on the first, middle and last message.
    expect(page.body).toContain(facts);
    expect(page.body.match(MARKERS)).toEqual([
      'FIRST-MARKER-long',
      'MIDDLE-MARKER-long',
      'LAST-MARKER-long',
    ]);
    // Progress showed while the parts were read.
    const statuses = h.slack
      .callsTo('assistant.threads.setStatus')
      .filter((c) => c.args.thread_ts === root.ts)
      .map((c) => c.args.status);
    expect(statuses).toContain(`Reading the thread, part ${parts.length} of ${parts.length}…`);
  });

  it('quotes a short thread whole, in the single request path: no part calls', async () => {
    const seeded = { channel: CHANNEL, users: [ALICE, BOB] as [string, string] };
    const { root } = seedMarkedThread(h.slack, { ...seeded, count: 30, tag: 'short' });
    const before = h.anthropic.requests.length;

    const page = await summarise(root.ts, 'Short retro');

    const requests = h.anthropic.requests.slice(before);
    expect(requests).toHaveLength(2);
    expect(requests.every(hasTools)).toBe(true);
    const asked = lastUserText(requests[0]!);
    expect(asked).toContain('The whole thread: 30 messages');
    expect(asked).toContain('filler line 1:');
    expect(asked).toContain('filler line 30:');
    expect(asked).not.toContain('Part 1 of');
    expect(page.body).toContain('FIRST-MARKER-short');
    expect(page.body).toContain('LAST-MARKER-short');
  });
});
