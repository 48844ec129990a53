/** Destructive calls wait for the requester's Approve, across a restart; Deny reaches Claude. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text, toolUse } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { connectTestRedis } from '../kit/redis.js';
import {
  answerIn,
  approvalPrompt,
  buttonClick,
  composioUserOf,
  mention,
  messagesOf,
  toolResultsOf,
} from './agent-helpers.js';
import { guardLoopbackSockets } from './agent-network-guard.js';

const CHANNEL = 'C0DOCS';
const USER = 'U0GRACE';
const BYSTANDER = 'U0HEIDI';

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
    const created = h.composio.confluence.execute(owner(), 'CONFLUENCE_CREATE_PAGE', {
      spaceId: 'MKT',
      title,
      body: { storage: { representation: 'storage', value: '<p>old</p>' } },
    });
    const pageId = String(created.data.id);
    h.anthropic.script({
      content: [
        text(`I'll delete "${title}".`),
        toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', {
          tools: [{ tool_slug: 'CONFLUENCE_DELETE_PAGE', arguments: { id: pageId } }],
        }),
      ],
    });
    const turn = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: `delete ${title}`,
      ...(threadTs ? { threadTs } : {}),
    });
    const prompt = await approvalPrompt(h, turn.threadTs);
    expect(JSON.stringify(prompt.args.blocks)).toContain('approval_deny');
    expect(JSON.stringify(prompt.args.blocks)).toContain('CONFLUENCE_DELETE_PAGE');
    const message = { ts: String(prompt.result!.ts), thread_ts: turn.threadTs };
    const click = (user: string, actionId: string) =>
      h.requester.interaction(
        h.eventsUrl,
        buttonClick(h, { user, channel: CHANNEL, message, actionId, value: turn.eventId }),
      );
    return { ...turn, pageId, click, requestsSoFar: h.anthropic.requests.length };
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
    const redis = connectTestRedis();
    try {
      const stored = (await redis.get(`${h.keyPrefix}:turn:${turn.eventId}`))!;
      // O(turn): the paused turn's record holds its own messages, not the thread before it.
      expect(stored).toContain('delete Stale Notes');
      expect(stored).not.toContain('the launch moves to Friday');
      expect(stored.length).toBeLessThan(earlier.length / 2);
    } finally {
      await redis.quit();
    }

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
});
