/**
 * Approve/Deny (src/slack/listeners/actions/approval.ts) and See all (approval-details.ts):
 * destructive calls wait for the requester's Approve, across a restart; Deny reaches Claude; the
 * prompt names each target as the requester's own connection finds it (a long batch: counts, and
 * every page one click away, within Slack's limits); after the click the prompt says who and
 * when and the outcome comes below it; an ephemeral prompt is replaced; a click under faults is
 * answered after its ack, and one that cannot be queued keeps the buttons.
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
import { ephemeralButtonClick } from '../../../kit/slack-helpers.js';
import { deletePageCall, runTools, seedPage } from '../../../kit/tool-calls.js';

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

  it('names the page to delete by title, space, version and link, looked up with the requester’s connection', async () => {
    const turn = await askToDelete('Launch Plan');
    const site = h.composio.confluence.site(owner());
    const page = site.pages.find((p) => p.id === turn.pageId)!;
    const shown = JSON.stringify(turn.prompt.args.blocks);
    const edited = Math.floor(Date.parse(page.updatedAt) / 1000);
    const url = `${site.baseUrl}/spaces/MKT/pages/${turn.pageId}/Launch+Plan`;
    expect(shown).toContain(
      `Delete page <${url}|“Launch Plan”> in space MKT (version 1, last edited <!date^${edited}^{ago}|`,
    );
    // The exact operation stays in view, beside the words.
    expect(shown).toContain(`\`CONFLUENCE_DELETE_PAGE\` \`{\\"id\\":\\"${turn.pageId}\\"}\``);
    // Looked up with the requester's own session: a read in their site, no write.
    const reads = h.composio.confluence.calls.filter(
      (c) =>
        c.slug === 'CONFLUENCE_GET_PAGE_BY_ID' && (c.args as { id?: string }).id === turn.pageId,
    );
    expect(reads.map((c) => c.userId)).toEqual([owner()]);
    expect(pageExists(turn.pageId)).toBe(true);

    h.anthropic.script({ content: [text('Deleted Launch Plan.')] });
    await turn.click(USER, 'approval_deny');
    await h.state.turnEnded(turn.eventId);
  });

  it('says a lookup failed and shows the id, never guessing the page', async () => {
    h.anthropic.script({ content: [text('I will delete it.'), deletePageCall('404404')] });
    const turn = await mention(h, { user: USER, channel: CHANNEL, text: 'delete page 404404' });
    const prompt = await approvalPrompt(h, turn.threadTs);
    const shown = JSON.stringify(prompt.args.blocks);
    expect(shown).toContain(
      "Delete page with id `404404` — _I couldn't look it up (not found), so I can't say which one it is_",
    );
    h.anthropic.script({ content: [text('Left it.')] });
    await h.requester.interaction(
      h.eventsUrl,
      buttonClick(h, {
        user: USER,
        channel: CHANNEL,
        message: { ts: String(prompt.result!.ts), thread_ts: turn.threadTs },
        actionId: 'approval_deny',
        value: turn.eventId,
      }),
    );
    await h.state.turnEnded(turn.eventId);
  });

  it('after Approve: the prompt says who and when without buttons, the answer comes below it, the streamed text above stays', async () => {
    // Long enough that streaming has begun (the stream helper sends from 256 characters) before
    // the pause; its last word is held back until the prompt.
    const said = `Old Minutes is ${'an outdated page nobody reads any more, '.repeat(10)}so I'll delete it.`;
    const pageId = seedPage(h.composio, owner(), 'Old Minutes');
    h.anthropic.script({ content: [text(said), deletePageCall(pageId)] });
    const asked = await mention(h, { user: USER, channel: CHANNEL, text: 'delete Old Minutes' });
    const promptTs = String((await approvalPrompt(h, asked.threadTs)).result!.ts);
    const turn = {
      ...asked,
      promptTs,
      click: (clicker: string, actionId: string) =>
        h.requester.interaction(
          h.eventsUrl,
          buttonClick(h, {
            user: clicker,
            channel: CHANNEL,
            message: { ts: promptTs, thread_ts: asked.threadTs },
            actionId,
            value: asked.eventId,
          }),
        ),
    };
    const before = h.slack.messages(CHANNEL, turn.threadTs).filter((m) => m.bot_id);
    // The text Claude wrote before the pause is a message of its own, above the prompt, whole.
    const streamed = before.find((m) => m.ts !== promptTs)!;
    expect(Number(streamed.ts)).toBeLessThan(Number(promptTs));
    const streamedText = h.slack.visibleText(streamed);
    expect(streamedText).toBe(said);

    h.anthropic.script({ content: [text('Deleted Old Minutes.')] });
    await turn.click(USER, 'approval_approve');
    await answerIn(h, CHANNEL, turn.threadTs, 'Deleted Old Minutes.');

    const update = await h.slack.waitFor('chat.update', (c) => c.args.ts === turn.promptTs);
    expect(update.result?.ok, JSON.stringify(update.result)).toBe(true);
    const prompt = h.slack.messages(CHANNEL, turn.threadTs).find((m) => m.ts === turn.promptTs)!;
    const decided = JSON.stringify(prompt.blocks);
    expect(decided).toMatch(
      new RegExp(`Approved by <@${USER}> <!date\\^\\d+\\^\\{date_short_pretty\\} at \\{time\\}\\|`),
    );
    expect(decided).toContain('“Old Minutes”');
    expect(decided).not.toContain('approval_approve');
    expect(decided).not.toContain('approval_deny');

    const after = h.slack.messages(CHANNEL, turn.threadTs).filter((m) => m.bot_id);
    const answer = after.find((m) => JSON.stringify(m).includes('Deleted Old Minutes.'))!;
    expect(Number(answer.ts)).toBeGreaterThan(Number(turn.promptTs));
    const kept = after.find((m) => m.ts === streamed.ts)!;
    expect(h.slack.visibleText(kept)).toBe(streamedText);
    expect(JSON.stringify(kept)).not.toContain('Deleted Old Minutes.');
    expect(h.slack.callsTo('chat.update').filter((c) => c.args.ts === streamed.ts)).toEqual([]);
  });

  it('a batch of 50 deletes: counts in the prompt, every page named one click away, all within Slack’s limits', async () => {
    const titles = Array.from({ length: 50 }, (_, i) => `Stale page ${i} from the old wiki`);
    const ids = titles.map((title) => seedPage(h.composio, owner(), title));
    const calls = ids.map((id): [string, unknown] => ['CONFLUENCE_DELETE_PAGE', { id }]);
    h.anthropic.script({ content: [text("I'll delete the 50 stale pages."), runTools(calls)] });
    const turn = await mention(h, { user: USER, channel: BULK, text: 'delete the stale pages' });
    const prompt = await approvalPrompt(h, turn.threadTs);
    expect(prompt.result?.ok, JSON.stringify(prompt.result)).toBe(true);
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON.
    const blocks = prompt.args.blocks as any[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    const sections = blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);
    for (const section of sections) expect(section.length).toBeLessThanOrEqual(3_000);
    expect(sections.join('\n')).toContain('• Delete 50 pages');
    // The turn did not fail on the prompt: it is paused, waiting for a decision.
    expect((await h.state.turnRecord(turn.eventId))?.status).toBe('awaiting_approval');

    // See all 50: a modal naming every page, with its exact operation.
    const message = { ts: String(prompt.result!.ts), thread_ts: turn.threadTs };
    const click = (actionId: string) =>
      h.requester.interaction(
        h.eventsUrl,
        buttonClick(h, { user: USER, channel: BULK, message, actionId, value: turn.eventId }),
      );
    expect((await click('approval_details')).status).toBe(200);
    const opened = await h.slack.waitFor('views.open');
    expect(opened.result?.ok, JSON.stringify(opened.result)).toBe(true);
    const view = opened.args.view as { blocks: Array<{ text?: { text: string } }> };
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const listed = view.blocks.map((b) => b.text?.text ?? '').join('\n');
    titles.forEach((title, i) => {
      expect(listed).toContain(`“${title}”`);
      expect(listed).toContain(`{"id":"${ids[i]}"}`);
    });

    // Denied: the prompt is rewritten with the verdict, still within Slack's limits.
    h.anthropic.script({ content: [text('OK, I left them all.')] });
    await click('approval_deny');
    const update = await h.slack.waitFor('chat.update', (c) => c.args.ts === message.ts);
    expect(update.result?.ok, JSON.stringify(update.result)).toBe(true);
    expect(JSON.stringify(update.args.blocks)).toContain('Denied by');
    expect(JSON.stringify(update.args.blocks)).not.toContain('approval_details');
    await answerIn(h, BULK, turn.threadTs, 'OK, I left them all.');
    for (const id of ids) expect(pageExists(id)).toBe(true);
  });

  it('an ephemeral prompt (a /confluence request where the bot is not a member) is replaced on click', async () => {
    const pageId = seedPage(h.composio, owner(), 'Private Draft');
    h.slack.failNext('chat.postMessage', 'not_in_channel');
    h.anthropic.script({ content: [text('I will delete it.'), deletePageCall(pageId)] });
    const sent = await h.requester.command(h.eventsUrl, {
      text: 'delete Private Draft',
      user_id: USER,
      channel_id: 'C0NOTMEMBER',
      response_url: h.slack.responseUrl('ephemeral-cmd'),
    });
    expect(sent.status).toBe(200);
    const prompt = await h.slack.waitForResponse(
      (r) =>
        r.id === 'ephemeral-cmd' &&
        JSON.stringify(r.body.blocks ?? '').includes('approval_approve'),
    );
    expect(prompt.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(prompt.body.blocks)).toContain('“Private Draft”');
    const turnId = String(
      // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON.
      (prompt.body.blocks as any[]).find((b) => b.type === 'actions').elements[0].value,
    );

    h.anthropic.script({ content: [text('Deleted Private Draft.')] });
    const clickUrl = h.slack.responseUrl('ephemeral-click');
    await h.requester.interaction(
      h.eventsUrl,
      ephemeralButtonClick(h, {
        user: USER,
        channel: 'C0NOTMEMBER',
        actionId: 'approval_approve',
        value: turnId,
        responseUrl: clickUrl,
      }),
    );
    const replaced = await h.slack.waitForResponse((r) => r.id === 'ephemeral-click');
    expect(replaced.body.replace_original).toBe(true);
    expect(replaced.body.text).toBe(`:white_check_mark: Approved by <@${USER}>`);
    expect(JSON.stringify(replaced.body.blocks)).not.toContain('approval_approve');
    await h.slack.waitForResponse(
      (r) => r.id === 'ephemeral-cmd' && JSON.stringify(r.body).includes('Deleted Private Draft.'),
    );
    expect(h.slack.callsTo('chat.update').filter((c) => c.args.channel === 'C0NOTMEMBER')).toEqual(
      [],
    );
    expect(pageExists(pageId)).toBe(false);
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
