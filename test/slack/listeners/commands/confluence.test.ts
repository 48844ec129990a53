/**
 * `/confluence` (src/slack/listeners/commands/confluence.ts): subcommands answer privately, also
 * when Composio fails; requests get a visible root (a long one cut within Slack's limits) and a
 * threaded answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodedError, userMessageFor } from '../../../../src/errors.js';
import { text } from '../../../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../../../kit/harness.js';
import { ephemeralButtonClick, mentionEvent } from '../../../kit/slack-helpers.js';
import { deletePageCall, seedPage } from '../../../kit/tool-calls.js';
import { waitUntil } from '../../../kit/wait.js';

const CHANNEL = 'C0CMD';
const ALICE = 'U0CMDALICE';
const LONG_CHANNEL = 'C0CMDLONG';
const LONG_USER = 'U0CMDLONG';
const TOOLS_UNAVAILABLE = userMessageFor(new CodedError('tools_unavailable', 'expected'));

describe('/confluence', () => {
  let h: Harness;
  const composioUser = (user: string) => `slack-${h.slack.teamId}-${user}`;
  const command = (user: string, commandText: string, responseId: string, channel = CHANNEL) =>
    h.requester.command(h.eventsUrl, {
      text: commandText,
      user_id: user,
      channel_id: channel,
      response_url: h.slack.responseUrl(responseId),
    });
  const response = (id: string) => h.slack.waitForResponse((r) => r.id === id);
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it('acks at once, posts a visible root quoting the requester, answers in its thread', async () => {
    let release!: () => void;
    const modelMayAnswer = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.anthropic.respondWith(async () => {
      await modelMayAnswer;
      return { content: [text('Created **Launch Plan** in MKT.')] };
    });
    const started = Date.now();
    const res = await command(ALICE, 'create a page titled "Launch Plan" in <!here> MKT', 'req');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    // The model is still thinking: the ack did not wait for it.
    await h.anthropic.waitForRequests(1);
    const root = h.slack.messages(CHANNEL).find((m) => m.bot_id && !m.thread_ts)!;
    expect(h.slack.visibleText(root)).toBe(
      `<@${ALICE}> asked via \`/confluence\`:\n>create a page titled "Launch Plan" in &lt;!here&gt; MKT`,
    );
    expect(root.text).not.toContain('<!here>');
    expect(h.botReplies(CHANNEL, root.ts)).toHaveLength(1);
    release();
    await h.waitForBotReply(CHANNEL, root.ts, 'Created **Launch Plan** in MKT.');
    const sent = JSON.stringify(h.anthropic.requests[0]!.body.messages);
    expect(sent).toContain('create a page titled \\"Launch Plan\\"');
    expect(h.slack.responses.filter((r) => r.id === 'req')).toEqual([]);
  });

  it('makes a reply posted in its new thread meanwhile wait for its answer, then run in order', async () => {
    let release!: () => void;
    const firstMayAnswer = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.anthropic.respondWith(async (req) => {
      const asked = JSON.stringify(req.body.messages.at(-1));
      if (asked.includes('order-first')) {
        await firstMayAnswer;
        return { content: [text('First answer.')] };
      }
      return { content: [text('Second answer.')] };
    });
    const requestsBefore = h.anthropic.requests.length;
    await command(ALICE, 'order-first', 'order');
    await h.anthropic.waitForRequests(requestsBefore + 1);
    const root = h.slack
      .messages(CHANNEL)
      .find((m) => m.bot_id && !m.thread_ts && h.slack.visibleText(m).includes('order-first'))!;
    // Someone replies in the new thread while the command's answer is still being written.
    const reply = h.slack.addMessage({
      channel: CHANNEL,
      user: ALICE,
      text: `<@${h.slack.botUserId}> order-second`,
      thread_ts: root.ts,
    });
    const second = await mentionEvent(h, { ...reply, user: ALICE, thread_ts: root.ts });
    // It waits in the thread's line behind the command's turn: its model request has not gone.
    await waitUntil('the reply to step back in line', async () => {
      const queued = await h.state.queuedTurn(second);
      return (queued?.waits ?? 0) > 0;
    });
    expect(h.anthropic.requests).toHaveLength(requestsBefore + 1);
    release();
    await h.waitForBotReply(CHANNEL, root.ts, 'Second answer.');
    // The root quoting the command, then the two answers in order.
    expect(h.botReplies(CHANNEL, root.ts).slice(1)).toEqual(['First answer.', 'Second answer.']);
    // The reply's turn saw the command's whole exchange before its own message.
    const seen = JSON.stringify(h.anthropic.requests.at(-1)!.body.messages);
    expect(seen.indexOf('First answer.')).toBeGreaterThan(seen.indexOf('order-first'));
    expect(seen.indexOf('order-second')).toBeGreaterThan(seen.indexOf('First answer.'));
  });

  it('shows help privately for help, empty text and a mistyped subcommand', async () => {
    await command(ALICE, 'help', 'help');
    expect((await response('help')).body).toMatchObject({ response_type: 'ephemeral' });
    expect((await response('help')).body.text).toContain('`/confluence connect`');
    await command(ALICE, '', 'empty');
    expect((await response('empty')).body.text).toContain('`/confluence status`');
    await command(ALICE, 'conect', 'typo');
    expect((await response('typo')).body.text).toMatch(/^I don't know the subcommand `conect`/);
  });

  it('connect: a Connect button for the caller only, through the response_url', async () => {
    const before = h.slack.calls.length;
    await command(ALICE, 'connect', 'connect');
    const { body } = await response('connect');
    const link = h.composio.links().find((l) => l.userId === composioUser(ALICE))!;
    expect(link.redirectUrl).toMatch(/^https:\/\/connect\.composio\.dev\/link\/lk_/);
    expect(body.response_type).toBe('ephemeral');
    expect(body.blocks[0].accessory).toMatchObject({
      type: 'button',
      action_id: 'connect_link',
      url: link.redirectUrl,
    });
    const leaked = h.slack.calls
      .slice(before)
      .filter((c) => JSON.stringify(c.args).includes('composio.dev/link'));
    expect(leaked).toEqual([]);
  });

  it('status: the Composio user id and the connection state', async () => {
    await command(ALICE, 'status', 'status-before');
    const before = (await response('status-before')).body;
    expect(before.response_type).toBe('ephemeral');
    expect(before.text).toContain(`\`slack-${h.slack.teamId}-${ALICE}\``);
    expect(before.text).toContain('confluence: not connected');
    h.composio.connect(composioUser(ALICE));
    await command(ALICE, 'status', 'status-after');
    expect((await response('status-after')).body.text).toMatch(/confluence: connected/);
  });

  // The confirm button's click is tested with its listener (actions/connections.test.ts).
  it('disconnect: asks first, with a confirm button, and removes nothing yet', async () => {
    expect(h.composio.isConnected(composioUser(ALICE))).toBe(true);
    await command(ALICE, 'disconnect', 'disconnect');
    const prompt = (await response('disconnect')).body;
    expect(prompt.response_type).toBe('ephemeral');
    const button = prompt.blocks[0].accessory;
    expect(button).toMatchObject({ action_id: 'disconnect_confirm', value: 'confluence' });
    expect(button.confirm).toBeDefined();
    expect(h.composio.isConnected(composioUser(ALICE))).toBe(true);
  });

  it('not in the channel: answers through the response_url and says how to invite the bot', async () => {
    h.slack.failNext('chat.postMessage', 'not_in_channel');
    h.anthropic.script({ content: [text('Here is the **answer** for you.')] });
    const res = await command(ALICE, 'list my spaces', 'private', 'C0PRIVATE');
    expect(res.status).toBe(200);
    const notice = await response('private');
    expect(notice.body.response_type).toBe('ephemeral');
    expect(notice.body.text).toContain('/invite @Confluence Agent');
    const answer = await h.slack.waitForResponse(
      (r) => r.id === 'private' && r.body.blocks !== undefined,
    );
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Here is the answer for you.',
      blocks: [{ type: 'markdown', text: 'Here is the **answer** for you.' }],
    });
    expect(h.slack.messages('C0PRIVATE')).toEqual([]);
    expect(
      h.slack.callsTo('chat.startStream').filter((c) => c.args.channel === 'C0PRIVATE'),
    ).toEqual([]);
  });

  it("not in the channel: stays within the response_url's five uses, and goes on by DM", async () => {
    const user = 'U0CMDFIVE';
    h.composio.connect(composioUser(user));
    const pageId = seedPage(h.composio, composioUser(user), 'Five Uses');
    h.slack.failNext('chat.postMessage', 'not_in_channel');
    // Nine ~5,000-character paragraphs: five messages of answer after the hint and the prompt.
    const long = Array.from({ length: 9 }, (_, i) => `Part ${i + 1}. ${'word '.repeat(1_000)}`);
    h.anthropic.script({ content: [deletePageCall(pageId)] });
    await command(user, 'delete Five Uses and explain at length', 'five', 'C0FIVE');
    const prompt = await h.slack.waitForResponse(
      (r) => r.id === 'five' && JSON.stringify(r.body.blocks ?? '').includes('approval_approve'),
    );
    const turnId = String(
      // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON.
      (prompt.body.blocks as any[]).find((b) => b.type === 'actions').elements[0].value,
    );
    h.anthropic.script({ content: [text(long.join('\n\n'))] });
    await h.requester.interaction(
      h.eventsUrl,
      ephemeralButtonClick(h, {
        user,
        channel: 'C0FIVE',
        actionId: 'approval_approve',
        value: turnId,
        responseUrl: h.slack.responseUrl('five-click'),
      }),
    );
    const dm = `D${user.slice(1)}`;
    const dms = () =>
      h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === dm && c.result?.ok);
    await waitUntil('the answer in a DM', () => dms().length >= 5 || undefined);
    const viaUrl = h.slack.responses.filter((r) => r.id === 'five');
    expect(viaUrl.length).toBeLessThanOrEqual(5);
    expect(viaUrl).toHaveLength(2); // the invite hint and the approval prompt
    const shown = dms().map((c) => JSON.stringify(c.args.blocks));
    expect(shown[0]).toContain('<#C0FIVE>');
    for (let i = 1; i <= 9; i++) expect(shown.join('').includes(`Part ${i}.`)).toBe(true);
    expect(h.slack.messages('C0FIVE')).toEqual([]);
  });

  it.each([
    ['status', 'U0DOWNSTATUS'],
    ['connect', 'U0DOWNCONNECT'],
  ])(
    '%s with Composio failing: answers privately that Composio could not be reached',
    async (sub, user) => {
      h.composio.failNext('rest', 503);
      const res = await command(user, sub, `down-${sub}`);
      expect(res.status).toBe(200);
      const answer = (await response(`down-${sub}`)).body;
      expect(answer).toMatchObject({ response_type: 'ephemeral', text: TOOLS_UNAVAILABLE });
    },
  );

  it('posts a root quoting it within 3,000 characters, cut visibly, and answers in its thread', async () => {
    // 2,800 characters on 280 lines; escaped and quoted it would be over 5,000.
    const request = 'a & b < c\n'.repeat(280);
    expect(request.length).toBe(2_800);
    h.anthropic.respondWith(() => ({ content: [text('Done with the long list.')] }));
    const res = await h.requester.command(h.eventsUrl, {
      text: request,
      user_id: LONG_USER,
      channel_id: LONG_CHANNEL,
      response_url: h.slack.responseUrl('long'),
    });
    expect(res.status).toBe(200);

    const post = await h.slack.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === LONG_CHANNEL && !c.args.thread_ts,
    );
    expect(post.result?.ok, JSON.stringify(post.result)).toBe(true);
    const section = post.args.blocks[0].text.text as string;
    expect(section.length).toBeLessThanOrEqual(3_000);
    expect(section).toMatch(
      new RegExp(`^<@${LONG_USER}> asked via \`/confluence\`:\n>a &amp; b &lt; c\n>`),
    );
    expect(section.endsWith('…')).toBe(true);
    // Every entity is whole and no raw `<` or `&` is left.
    expect(section.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/[&]/);
    expect(
      section
        .split('\n')
        .slice(1)
        .every((line) => line.startsWith('>')),
    ).toBe(true);

    const rootTs = String(post.result!.ts);
    await h.waitForBotReply(LONG_CHANNEL, rootTs, 'Done with the long list.');
    // The model got the whole request, not the cut quote.
    expect(JSON.stringify(h.anthropic.requests.at(-1)!.body.messages)).toContain(
      JSON.stringify(request.trim()).slice(1, -1),
    );
    expect(h.slack.responses.filter((r) => r.id === 'long')).toEqual([]);
  });
});
