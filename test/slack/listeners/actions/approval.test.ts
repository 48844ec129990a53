/**
 * Approve/Deny (src/slack/listeners/actions/approval.ts): destructive calls wait for the
 * requester's Approve, across a restart; Deny reaches Claude; a prompt for many calls stays
 * within Slack's limits; a click under faults is answered after its ack, and one that cannot be
 * queued keeps the buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerIn,
  approvalPrompt,
  askToDelete as askToDeleteAs,
  buttonClick,
  composioUserOf,
  mention,
  messagesOf,
  toolResultsOf,
} from '../../../kit/agent-helpers.js';
import { guardLoopbackSockets } from '../../../kit/agent-network-guard.js';
import { text } from '../../../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../../../kit/harness.js';
import { runTools } from '../../../kit/tool-calls.js';

const CHANNEL = 'C0DOCS';
const BULK = 'C0BULK';
const OTHER_CHANNEL = 'C0BUSY';
const USER = 'U0GRACE';
const BYSTANDER = 'U0HEIDI';
/** Every Slack Web API answer takes this long in the slow-Slack case. */
const SLOW_SLACK_MS = 1_500;

describe('approval of destructive calls', () => {
  let h: Harness;
  const guard = guardLoopbackSockets();
  const owner = () => composioUserOf(h, USER);
  const deletes = () => h.composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE');
  const pageExists = (id: string) =>
    h.composio.confluence.site(owner()).pages.some((p) => p.id === id);

  beforeAll(async () => {
    h = await startHarness();
    h.composio.connect(owner());
  });
  afterAll(async () => {
    await h?.stop();
    guard.restore();
    expect(guard.refused).toEqual([]);
  });

  /** Seeds a page, asks the bot to delete it, and waits for the Approve/Deny prompt. */
  async function askToDelete(title: string, threadTs?: string) {
    const turn = await askToDeleteAs(h, { user: USER, channel: CHANNEL, title, threadTs });
    expect(JSON.stringify(turn.prompt.args.blocks)).toContain('approval_deny');
    expect(JSON.stringify(turn.prompt.args.blocks)).toContain('CONFLUENCE_DELETE_PAGE');
    return { ...turn, requestsSoFar: h.anthropic.requests.length };
  }

  it('waits for Approve, refuses a bystander, survives a restart, then deletes exactly once', async () => {
    const turn = await askToDelete('Old Launch Plan');
    expect(deletes()).toBe(0);
    expect(pageExists(turn.pageId)).toBe(true);

    expect((await turn.click(BYSTANDER, 'approval_approve')).status).toBe(200);
    const refusal = await h.slack.waitFor('chat.postEphemeral', (c) => c.args.user === BYSTANDER);
    expect(refusal.args.text).toContain(`Only <@${USER}>`);
    expect(deletes()).toBe(0);
    expect(pageExists(turn.pageId)).toBe(true);

    const oldEventsUrl = h.eventsUrl;
    await h.restartApp();
    expect(h.eventsUrl).not.toBe(oldEventsUrl);

    h.anthropic.script({ content: [text('Deleted Old Launch Plan.')] });
    expect((await turn.click(USER, 'approval_approve')).status).toBe(200);
    await h.state.turnEnded(turn.eventId);
    expect(deletes()).toBe(1);
    expect(pageExists(turn.pageId)).toBe(false);
    const [result] = toolResultsOf(h, turn.requestsSoFar);
    expect(result!.is_error).toBeUndefined();
    await answerIn(h, CHANNEL, turn.threadTs, 'Deleted Old Launch Plan.');

    // A second click finds nothing left to approve, and nothing runs again.
    await turn.click(USER, 'approval_approve');
    const late = await h.slack.waitForResponse((r) => /already handled/.test(r.body.text));
    expect(late.body.response_type).toBe('ephemeral');
    expect(deletes()).toBe(1);
    expect(h.anthropic.requests).toHaveLength(turn.requestsSoFar + 1);
  });

  it('on Deny keeps the page and tells Claude the call was declined', async () => {
    const turn = await askToDelete('Q3 Draft');
    const before = deletes();
    h.anthropic.script({ content: [text('OK, I left Q3 Draft alone.')] });
    await turn.click(USER, 'approval_deny');
    await h.state.turnEnded(turn.eventId);
    expect(deletes()).toBe(before);
    expect(pageExists(turn.pageId)).toBe(true);
    const [result] = toolResultsOf(h, turn.requestsSoFar);
    expect(result!.is_error).toBe(true);
    expect(JSON.stringify(result!.content)).toMatch(/declined/);
    await answerIn(h, CHANNEL, turn.threadTs, 'I left Q3 Draft alone.');
  });

  it('checkpoints a paused turn without the thread history, and resumes it with the history in front', async () => {
    // An earlier, long exchange in the thread.
    const earlier = `Launch notes: ${'the launch moves to Friday. '.repeat(200)}`;
    h.anthropic.script({ content: [text('Noted the launch notes.')] });
    const first = await mention(h, { user: USER, channel: CHANNEL, text: earlier });
    await h.state.turnEnded(first.eventId);

    const turn = await askToDelete('Stale Notes', first.threadTs);
    const stored = JSON.stringify(await h.state.turnRecord(turn.eventId));
    // O(turn): the paused turn's record holds its own messages, not the thread before it.
    expect(stored).toContain('delete Stale Notes');
    expect(stored).not.toContain('the launch moves to Friday');
    expect(stored.length).toBeLessThan(earlier.length / 2);

    h.anthropic.script({ content: [text('Deleted Stale Notes.')] });
    await turn.click(USER, 'approval_approve');
    await h.state.turnEnded(turn.eventId);
    // The resumed request carries the whole thread: the earlier exchange, then this turn.
    const roles = messagesOf(h, turn.requestsSoFar).map((m) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(JSON.stringify(messagesOf(h, turn.requestsSoFar)[0])).toContain(
      'the launch moves to Friday',
    );
    await answerIn(h, CHANNEL, first.threadTs, 'Deleted Stale Notes.');
    // And the thread's next turn sees both exchanges in order.
    h.anthropic.script({ content: [text('Both done.')] });
    const next = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'anything else?',
      threadTs: first.threadTs,
    });
    await h.state.turnEnded(next.eventId);
    const seen = JSON.stringify(messagesOf(h, h.anthropic.requests.length - 1));
    expect(seen.indexOf('the launch moves to Friday')).toBeGreaterThan(-1);
    expect(seen.indexOf('delete Stale Notes')).toBeGreaterThan(seen.indexOf('Noted the launch'));
    expect(seen.indexOf('Deleted Stale Notes.')).toBeGreaterThan(
      seen.indexOf('delete Stale Notes'),
    );
  });

  it('posts the prompt for 50 deletes in sections of at most 3,000 characters, listing all', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => String(700_000 + i));
    const calls = ids.map((id, i): [string, unknown] => [
      'CONFLUENCE_DELETE_PAGE',
      { id, reason: `stale page ${i} from the old wiki `.repeat(3) },
    ]);
    h.anthropic.script({ content: [text("I'll delete the 50 stale pages."), runTools(calls)] });
    const turn = await mention(h, { user: USER, channel: BULK, text: 'delete the stale pages' });
    const prompt = await approvalPrompt(h, turn.threadTs);
    expect(prompt.result?.ok, JSON.stringify(prompt.result)).toBe(true);
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON.
    const blocks = prompt.args.blocks as any[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    const sections = blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);
    expect(sections.length).toBeGreaterThan(1);
    for (const section of sections) expect(section.length).toBeLessThanOrEqual(3_000);
    const shown = sections.join('\n');
    for (const id of ids) expect(shown).toContain(`"id":"${id}"`);
    // The turn did not fail on the prompt: it is paused, waiting for a decision.
    expect((await h.state.turnRecord(turn.eventId))?.status).toBe('awaiting_approval');

    // Denied: the prompt is rewritten with the verdict, still within Slack's limits.
    h.anthropic.script({ content: [text('OK, I left them all.')] });
    const message = { ts: String(prompt.result!.ts), thread_ts: turn.threadTs };
    await h.requester.interaction(
      h.eventsUrl,
      buttonClick(h, {
        user: USER,
        channel: BULK,
        message,
        actionId: 'approval_deny',
        value: turn.eventId,
      }),
    );
    const update = await h.slack.waitFor('chat.update', (c) => c.args.ts === message.ts);
    expect(update.result?.ok, JSON.stringify(update.result)).toBe(true);
    expect(JSON.stringify(update.args.blocks)).toContain('Denied by');
    await answerIn(h, BULK, turn.threadTs, 'OK, I left them all.');
  });
});

describe('approval clicks under faults (in-process store)', () => {
  let h: Harness;
  const deletes = () => h.composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE');

  beforeAll(async () => {
    // The in-process dispatcher: once a stop has begun it refuses new jobs.
    h = await startHarness({ memoryStore: true });
    h.composio.connect(composioUserOf(h, USER));
  });
  afterAll(() => h?.stop());

  const askToDelete = (title: string) => askToDeleteAs(h, { user: USER, channel: CHANNEL, title });

  it('Slack slow: the click gets its 200 before the buttons are replaced, then the turn goes on', async () => {
    const turn = await askToDelete('Old Budget');
    h.anthropic.script({ content: [text('Deleted Old Budget.')] });
    h.slack.setLatency(SLOW_SLACK_MS);
    try {
      expect((await turn.click(USER, 'approval_approve')).status).toBe(200);
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
      expect((await turn.click(USER, 'approval_approve')).status).toBe(200);
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
