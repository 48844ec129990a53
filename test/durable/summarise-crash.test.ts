/**
 * A "Summarise to Confluence" turn whose runner dies while it reads a long thread in parts
 * (src/turns/whole-thread.ts): the request is not lost; another instance reads the parts again
 * and creates the page once, answered once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedMarkedThread, submitSummarise, summarisingModel } from '../kit/summarise-thread.js';
import {
  answered,
  botAnswers,
  type DurableWorld,
  holdModelCall,
  killRunner,
  modelCallersFor,
  startWorld,
} from './durable-kit.js';

const CHANNEL = 'C0SUMCRASH';
const ALICE = 'U0SUMCRASHA';
const BOB = 'U0SUMCRASHB';
// A small budget, so that 200 messages take several parts.
const ENV = { AGENT_HISTORY_TOKENS: '4000' };

describe('durable summarise: a runner killed between part summaries', () => {
  let w: DurableWorld;
  beforeEach(async () => {
    w = await startWorld();
    w.composio.connect(`slack-${w.slack.teamId}-${ALICE}`);
  });
  afterEach(() => w?.close());

  it('is finished by the other instance, which reads the parts again; one page, one answer', async () => {
    const [a, b] = await Promise.all([w.start('a', ENV), w.start('b', ENV)]);
    const { root } = seedMarkedThread(w.slack, {
      channel: CHANNEL,
      users: [ALICE, BOB],
      count: 200,
      tag: 'crash',
    });
    const title = 'Crash retro';
    // The second part's summary is held until the runner is dead.
    const model = holdModelCall(w, 1, summarisingModel(title));
    await submitSummarise(
      { ...w, eventsUrl: a.eventsUrl },
      {
        user: ALICE,
        channel: CHANNEL,
        rootTs: root.ts,
        title,
      },
    );
    await model.reached;
    const { runner } = await killRunner(w, [a, b], 'This is part 2 of');
    model.release();

    await answered(w, CHANNEL, root.ts, `Created ${title}.`);
    const survivor = runner === a ? b : a;
    // The first part was summarised by the runner, then again by the survivor.
    expect(modelCallersFor(w, 'This is part 1 of')).toEqual([runner.name, survivor.name]);
    const page = w.composio.confluence
      .site(`slack-${w.slack.teamId}-${ALICE}`)
      .pages.filter((p) => p.title === title);
    expect(page).toHaveLength(1);
    expect(page[0]!.body).toContain('FIRST-MARKER-crash');
    expect(page[0]!.body).toContain('LAST-MARKER-crash');
    expect(w.composio.confluence.writeCount('CONFLUENCE_CREATE_PAGE')).toBe(1);
    // The note saying who asked, posted by the dead runner, is found by its mark, not repeated.
    const shown = botAnswers(w, CHANNEL, root.ts);
    expect(shown.filter((t) => t.includes(`Created ${title}.`))).toHaveLength(1);
    const notes = w.slack
      .messages(CHANNEL, root.ts)
      .filter((m) => m.bot_id && m.metadata?.event_payload.kind === 'note');
    expect(notes).toHaveLength(1);
  });
});
