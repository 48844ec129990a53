/**
 * The "Summarise to Confluence" message shortcut (src/slack/listeners/shortcuts/summarise-thread.ts):
 * the form's default title, and the modal it opens: loading at once, then the form with the
 * user's spaces, or the Connect button for a user without Confluence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTitle } from '../../../../src/slack/listeners/shortcuts/summarise-thread.js';
import type { SlackCall } from '../../../kit/fake-slack/index.js';
import { type Harness, startHarness } from '../../../kit/harness.js';
import { runSummariseShortcut } from '../../../kit/slack-helpers.js';

const CHANNEL = 'C0RETRO';
const ALICE = 'U0SUMALICE';
const BOB = 'U0SUMBOB';

const day = new Date('2026-11-05T10:00:00Z');

describe('defaultTitle', () => {
  it('uses the message words and the date', () => {
    expect(defaultTitle('Launch   retro\nnotes', day)).toBe('Launch retro notes — 2026-11-05');
  });

  it('drops mentions, keeps link labels and decodes Slack entities', () => {
    expect(defaultTitle('<@U0BOB> see <https://x.example|the brief> &amp; plan', day)).toBe(
      'see the brief & plan — 2026-11-05',
    );
  });

  it('cuts long text at 60 characters with an ellipsis, and only then', () => {
    const sixty = 'a'.repeat(60);
    expect(defaultTitle(sixty, day)).toBe(`${sixty} — 2026-11-05`);
    expect(defaultTitle(`${sixty}b`, day)).toBe(`${sixty}… — 2026-11-05`);
  });

  it('falls back to "Thread summary" for an empty or markup-only message', () => {
    expect(defaultTitle(undefined, day)).toBe('Thread summary — 2026-11-05');
    expect(defaultTitle('<@U0BOB>', day)).toBe('Thread summary — 2026-11-05');
  });
});

describe('the shortcut on a thread', () => {
  let h: Harness;
  let root: { ts: string; text?: string };
  const composioUser = (user: string) => `slack-${h.slack.teamId}-${user}`;
  /** Runs the shortcut on the root as `user`; resolves with the views.update that filled the modal. */
  const openShortcut = (user: string) =>
    runSummariseShortcut(h, {
      user,
      channel: CHANNEL,
      message: { user: ALICE, ts: root.ts, text: root.text, thread_ts: root.ts },
    });
  const stored = (call: SlackCall) => call.result!.view;

  beforeAll(async () => {
    h = await startHarness();
    root = h.slack.addMessage({
      channel: CHANNEL,
      user: ALICE,
      text: 'Launch retro: what went well?',
    });
    h.slack.addMessage({ channel: CHANNEL, thread_ts: root.ts, user: BOB, text: 'retro note' });
  });
  afterAll(() => h?.stop());

  it('shows the Connect button instead of the form to a user without Confluence', async () => {
    const update = await openShortcut(BOB);
    const view = stored(update);
    const link = h.composio.links().find((l) => l.userId === composioUser(BOB))!;
    expect(view.blocks[0].accessory).toMatchObject({
      action_id: 'connect_link',
      url: link.redirectUrl,
    });
    expect(JSON.stringify(view)).not.toContain('"block_id":"title"');
    expect(view.submit).toBeUndefined();
  });

  it("opens a loading modal at once, then the form with the user's spaces", async () => {
    h.composio.connect(composioUser(ALICE));
    const update = await openShortcut(ALICE);
    const loading = h.slack.callsTo('views.open').at(-1)!.args.view;
    expect(update.args.view_id).toBe(h.slack.callsTo('views.open').at(-1)!.result!.view.id);
    expect(loading.callback_id).toBe('summarise_thread_submit');
    expect(JSON.stringify(loading.blocks)).toContain('Checking your Confluence connection');
    const form = stored(update);
    const space = form.blocks.find((b: { block_id?: string }) => b.block_id === 'space');
    expect(space.element.options.map((o: { value: string }) => o.value)).toEqual(['MKT', 'ENG']);
    expect(space.element.options[0].text.text).toBe('Marketing (MKT)');
    const title = form.blocks.find((b: { block_id?: string }) => b.block_id === 'title');
    expect(title.element.initial_value).toMatch(
      /^Launch retro: what went well\? — \d{4}-\d{2}-\d{2}$/,
    );
    expect(JSON.parse(form.private_metadata)).toEqual({
      teamId: h.slack.teamId,
      channel: CHANNEL,
      threadTs: root.ts,
    });
  });
});
