/**
 * app_mention (src/slack/listeners/events/app-mention.ts): a mention is a request answered in
 * its thread, as the requester, with the thread's history; a retried delivery is answered once;
 * a mention with a file Slack cannot give, or with nothing, gets a clear reply without the model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../../../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../../../kit/harness.js';
import { mentionEvent } from '../../../kit/slack-helpers.js';
import { createPageCall, searchToolsCall } from '../../../kit/tool-calls.js';

const CHANNEL = 'C0LAUNCH';
const USER = 'U0ALICE';

describe('mention → Claude → Tool Router → Confluence → reply in thread', () => {
  let h: Harness;
  const composioUser = () => `slack-${h.slack.teamId}-${USER}`;
  beforeAll(async () => {
    h = await startHarness();
    h.composio.connect(composioUser());
  });
  afterAll(() => h?.stop());

  it('creates the page as the requesting user and answers in the thread', async () => {
    const root = h.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${h.slack.botUserId}> create a page titled 'Launch Plan' in space MKT`,
    });
    h.anthropic.script(
      {
        content: [text('Let me find the right tool.'), searchToolsCall('create a confluence page')],
      },
      {
        content: [createPageCall('Launch Plan', { html: '<p>The launch plan.</p>' })],
      },
      { content: [text('Created **Launch Plan** in space MKT.')] },
    );

    const sent = await h.requester.event(h.eventsUrl, {
      type: 'app_mention',
      user: USER,
      text: root.text,
      ts: root.ts,
      channel: CHANNEL,
      team: h.slack.teamId,
    });
    expect(sent.status).toBe(200);

    await h.waitForBotReply(CHANNEL, root.ts, 'Created **Launch Plan** in space MKT.');

    const site = h.composio.confluence.site(composioUser());
    const mkt = site.spaces.find((s) => s.key === 'MKT')!;
    const created = site.pages.filter((p) => p.title === 'Launch Plan');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ spaceId: mkt.id, body: '<p>The launch plan.</p>' });
    expect(h.anthropic.requests).toHaveLength(3);
    // The tool calls ran in this user's Tool Router session.
    expect(h.composio.sessions().map((s) => s.userId)).toEqual([composioUser()]);
    expect(h.slack.messages(CHANNEL, root.ts).filter((m) => m.bot_id)).toHaveLength(1);
  });

  it('carries the earlier exchange into the next mention in the same thread', async () => {
    const root = h.slack.messages(CHANNEL)[0]!;
    const followUp = h.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      thread_ts: root.ts,
      text: `<@${h.slack.botUserId}> what did you just create?`,
    });
    h.anthropic.script({ content: [text('A page called Launch Plan, in MKT.')] });
    const before = h.anthropic.requests.length;
    await h.requester.event(h.eventsUrl, {
      type: 'app_mention',
      user: USER,
      text: followUp.text,
      ts: followUp.ts,
      thread_ts: root.ts,
      channel: CHANNEL,
      team: h.slack.teamId,
    });
    await h.waitForBotReply(CHANNEL, root.ts, 'A page called');

    const sentMessages = h.anthropic.requests[before]!.body.messages as Array<{
      role: string;
      content: unknown;
    }>;
    const transcript = JSON.stringify(sentMessages);
    expect(transcript).toContain("create a page titled 'Launch Plan' in space MKT");
    expect(transcript).toContain('CONFLUENCE_CREATE_PAGE');
    expect(transcript).toContain('Created **Launch Plan** in space MKT.');
    expect(transcript).toContain('what did you just create?');
    // first request (user) + 2×(assistant tool_use, user tool_result) + final answer + new user message
    expect(sentMessages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    // The session and its MCP connection were reused: one initialize for both turns.
    expect(h.composio.mcpCalls.filter((c) => c.method === 'initialize')).toHaveLength(1);
    expect(h.slack.messages(CHANNEL, root.ts).filter((m) => m.bot_id)).toHaveLength(2);
  });

  it('acknowledges a retried delivery without a second reply', async () => {
    const root = h.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${h.slack.botUserId}> hello`,
    });
    h.anthropic.script({ content: [text('Hello!')] });
    const event = {
      type: 'app_mention',
      user: USER,
      text: root.text,
      ts: root.ts,
      channel: CHANNEL,
    };
    const first = await h.requester.event(h.eventsUrl, event);
    const retry = await h.requester.event(h.eventsUrl, event, {
      eventId: first.eventId,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await h.waitForBotReply(CHANNEL, root.ts, 'Hello!');
    await h.state.eventHandled(first.eventId);
    expect(h.slack.messages(CHANNEL, root.ts).filter((m) => m.bot_id)).toHaveLength(1);
    expect(
      h.anthropic.requests.filter((r) => JSON.stringify(r.body.messages).includes('hello')),
    ).toHaveLength(1);
  });

  it('tells the requester when an attached file cannot be fetched (Slack no longer has it)', async () => {
    const before = h.anthropic.requests.length;
    const root = h.slack.addMessage({
      channel: 'C0FILES',
      user: USER,
      text: `<@${h.slack.botUserId}>`,
    });
    const sent = await h.requester.event(h.eventsUrl, {
      type: 'app_mention',
      user: USER,
      text: root.text,
      ts: root.ts,
      channel: 'C0FILES',
      files: [{ id: 'F0PNG', name: 'diagram.png', mimetype: 'image/png' }],
    });
    expect(sent.status).toBe(200);
    // No URL in the event: looked up with files.info, which does not know it.
    await h.waitForBotReply('C0FILES', root.ts, "I couldn't fetch the attached file from Slack");
    expect(h.slack.callsTo('files.info').at(-1)?.result?.error).toBe('file_not_found');
    expect(h.anthropic.requests.length).toBe(before);
  });

  it('answers an empty mention with the short help, without asking the model', async () => {
    const before = h.anthropic.requests.length;
    const root = h.slack.addMessage({
      channel: 'C0HELP',
      user: USER,
      text: `<@${h.slack.botUserId}>`,
    });
    await mentionEvent(h, { ...root, user: USER });
    const reply = await h.waitForBotReply(
      'C0HELP',
      root.ts,
      'Ask me to do something in Confluence',
    );
    expect(h.slack.visibleText(reply)).toMatch(/create a page titled "Launch Plan"/);
    expect(reply.text).not.toContain('_'); // the notification text shows no Markdown
    expect(h.anthropic.requests.length).toBe(before);
  });
});
