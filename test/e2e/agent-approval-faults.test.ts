/**
 * Approve clicks under faults: with a slow Slack the click's 200 does not wait for the answers
 * sent after the ack; a decision that cannot be queued (the app is shutting down) keeps the
 * Approve/Deny buttons and asks the requester to click again, instead of "Approved by …" on a
 * turn that nothing will resume.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text, toolUse } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { answerIn, approvalPrompt, buttonClick, composioUserOf, mention } from './agent-helpers.js';

const CHANNEL = 'C0FAULTS';
const OTHER_CHANNEL = 'C0BUSY';
const USER = 'U0IVAN';
/** Every Slack Web API answer takes this long in the slow-Slack case. */
const SLOW_SLACK_MS = 1_500;

describe('approval clicks under faults', () => {
  let h: Harness;
  const owner = () => composioUserOf(h, USER);
  const deletes = () => h.composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE');

  beforeAll(async () => {
    // The in-process dispatcher: once a stop has begun it refuses new jobs.
    h = await startHarness({ memoryStore: true });
    h.composio.connect(owner());
  });
  afterAll(() => h?.stop());

  /** Seeds a page, asks the bot to delete it, and waits for the Approve/Deny prompt. */
  async function askToDelete(title: string) {
    const created = h.composio.confluence.execute(owner(), 'CONFLUENCE_CREATE_PAGE', {
      spaceId: 'MKT',
      title,
      body: { storage: { representation: 'storage', value: '<p>old</p>' } },
    });
    h.anthropic.script({
      content: [
        text(`I'll delete "${title}".`),
        toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', {
          tools: [
            { tool_slug: 'CONFLUENCE_DELETE_PAGE', arguments: { id: String(created.data.id) } },
          ],
        }),
      ],
    });
    const turn = await mention(h, { user: USER, channel: CHANNEL, text: `delete ${title}` });
    const prompt = await approvalPrompt(h, turn.threadTs);
    const promptTs = String(prompt.result!.ts);
    const approve = () =>
      h.requester.interaction(
        h.eventsUrl,
        buttonClick(h, {
          user: USER,
          channel: CHANNEL,
          message: { ts: promptTs, thread_ts: turn.threadTs },
          actionId: 'approval_approve',
          value: turn.eventId,
        }),
      );
    return { ...turn, promptTs, approve };
  }

  it('Slack slow: the click gets its 200 before the buttons are replaced, then the turn goes on', async () => {
    const turn = await askToDelete('Old Budget');
    h.anthropic.script({ content: [text('Deleted Old Budget.')] });
    h.slack.setLatency(SLOW_SLACK_MS);
    try {
      expect((await turn.approve()).status).toBe(200);
      expect(h.slack.callsTo('chat.update').filter((c) => c.args.ts === turn.promptTs)).toEqual([]);
      const update = await h.slack.waitFor('chat.update', (c) => c.args.ts === turn.promptTs);
      expect(update.args.text).toBe(`:white_check_mark: Approved by <@${USER}>`);
    } finally {
      h.slack.setLatency(0);
    }
    await answerIn(h, CHANNEL, turn.threadTs, 'Deleted Old Budget.');
    expect(deletes()).toBe(1);
  });

  it('keeps the buttons and asks to click again when the Approve is refused', async () => {
    const before = deletes();
    const turn = await askToDelete('Old Roadmap');
    const promptTs = turn.promptTs;

    // Another turn is still running, so the stop below drains (refusing new jobs) until it ends.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.anthropic.respondWith(async () => {
      await released;
      return { content: [text('Done.')] };
    });
    const requests = h.anthropic.requests.length;
    const busy = await mention(h, { user: USER, channel: OTHER_CHANNEL, text: 'anything new?' });
    await h.anthropic.waitForRequests(requests + 1);
    const stopping = h.app.stop({ drainMs: 10_000 });

    try {
      expect((await turn.approve()).status).toBe(200);
      const told = await h.slack.waitForResponse((r) => /click Approve again/.test(r.body.text));
      expect(told.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(told.body.text).toBe(
        "I couldn't record your approval just now, so nothing has happened yet. Please click Approve again in a minute.",
      );
    } finally {
      release();
    }
    await stopping;
    await answerIn(h, OTHER_CHANNEL, busy.threadTs, 'Done.');

    // The prompt keeps its buttons: nothing replaced them with "Approved by …".
    expect(h.slack.callsTo('chat.update').filter((c) => c.args.ts === promptTs)).toEqual([]);
    const shown = h.slack.messages(CHANNEL, turn.threadTs).find((m) => m.ts === promptTs)!;
    expect(JSON.stringify(shown.blocks)).toContain('approval_approve');
    expect(JSON.stringify(shown.blocks)).toContain('approval_deny');
    expect(h.slack.visibleText(shown)).not.toContain('Approved by');
    // Told once, privately: no "restarting" note in the thread on top of the reply to the click.
    expect(h.botReplies(CHANNEL, turn.threadTs).join('\n')).not.toContain('restarting');
    // Nothing ran: no delete, and no model request after the busy turn's.
    expect(deletes()).toBe(before);
    expect(h.anthropic.requests).toHaveLength(requests + 1);
  });
});
