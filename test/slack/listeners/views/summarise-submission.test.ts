/**
 * The "Summarise to Confluence" form's submission (src/slack/listeners/views/summarise-submission.ts):
 * field errors in the HTTP answer, a private note when the bot is not in the channel, and the page
 * made from the whole thread with its link in the original thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../../../kit/fake-anthropic/index.js';
import type { SlackCall } from '../../../kit/fake-slack/index.js';
import { type Harness, startHarness } from '../../../kit/harness.js';
import { runSummariseShortcut, viewSubmission } from '../../../kit/slack-helpers.js';
import { createPageCall } from '../../../kit/tool-calls.js';

const CHANNEL = 'C0RETRO';
const ALICE = 'U0SUMALICE';
const BOB = 'U0SUMBOB';
const REPLIES = 240; // more than one page of conversations.replies (200)

describe('summarise form submitted: a Confluence page from a thread', () => {
  let h: Harness;
  let root: { ts: string; text?: string };
  /** The form the app showed Alice for the seeded thread. */
  // biome-ignore lint/suspicious/noExplicitAny: a Slack view is free-form JSON.
  let aliceForm: any;
  const composioUser = (user: string) => `slack-${h.slack.teamId}-${user}`;
  /** Runs the shortcut on the root as `user`; resolves with the views.update that filled the modal. */
  const openShortcut = (user: string, channel = CHANNEL) =>
    runSummariseShortcut(h, {
      user,
      channel,
      message: { user: ALICE, ts: root.ts, text: root.text, thread_ts: root.ts },
    });
  const stored = (call: SlackCall) => call.result!.view;

  beforeAll(async () => {
    h = await startHarness();
    h.slack.addUser({ id: ALICE, name: 'alice', real_name: 'Alice Smith', display_name: 'Alice' });
    h.slack.addUser({ id: BOB, name: 'bob', real_name: 'Bob Jones', display_name: 'Bobby' });
    root = h.slack.addMessage({
      channel: CHANNEL,
      user: ALICE,
      text: 'Launch retro: what went well?',
    });
    for (let i = 1; i <= REPLIES; i++) {
      h.slack.addMessage({
        channel: CHANNEL,
        thread_ts: root.ts,
        user: i % 2 ? BOB : ALICE,
        text: i === 7 ? `<@${BOB}> owns the follow-up` : `retro note ${i}`,
      });
    }
    h.slack.addMessage({
      channel: CHANNEL,
      thread_ts: root.ts,
      user: h.slack.botUserId,
      bot_id: h.slack.botId,
      text: 'an earlier answer of the bot',
    });
    h.composio.connect(composioUser(ALICE));
    aliceForm = stored(await openShortcut(ALICE));
  });
  afterAll(() => h?.stop());

  it('returns field errors in the HTTP response for a missing space or a bad key', async () => {
    const form = aliceForm;
    const before = h.anthropic.requests.length;
    const submit = (values: Record<string, unknown>) =>
      h.requester.interaction(h.eventsUrl, viewSubmission(h, { user: ALICE, view: form, values }));
    const none = await submit({
      space: { value: { type: 'static_select', selected_option: null } },
      space_key: { value: { type: 'plain_text_input', value: null } },
      title: { value: { type: 'plain_text_input', value: 'Retro' } },
    });
    expect(none.status).toBe(200);
    expect(JSON.parse(none.body)).toEqual({
      response_action: 'errors',
      errors: { space_key: 'Choose a space, or type its key.' },
    });
    const bad = await submit({
      space_key: { value: { type: 'plain_text_input', value: 'MK T!' } },
      title: { value: { type: 'plain_text_input', value: '' } },
    });
    expect(JSON.parse(bad.body)).toMatchObject({
      response_action: 'errors',
      errors: { space_key: expect.stringMatching(/letters and digits/), title: expect.any(String) },
    });
    expect(h.anthropic.requests.length).toBe(before);
  });

  it('tells the user privately how to invite the bot when it is not in the channel', async () => {
    const update = await openShortcut(ALICE, 'C0OUTSIDE');
    const before = h.anthropic.requests.length;
    h.slack.failNext('chat.postMessage', 'not_in_channel');
    const res = await h.requester.interaction(
      h.eventsUrl,
      viewSubmission(h, {
        user: ALICE,
        view: stored(update),
        values: {
          space: { value: { type: 'static_select', selected_option: { value: 'ENG' } } },
          title: { value: { type: 'plain_text_input', value: 'Outside' } },
        },
      }),
    );
    expect(res.status).toBe(200);
    const dm = await h.slack.waitFor(
      'chat.postMessage',
      (c) => c.result?.ok === true && String(c.args.channel).startsWith('D'),
    );
    expect(h.slack.callsTo('conversations.open').at(-1)?.args.users).toBe(ALICE);
    expect(dm.args.text).toContain("I'm not a member of <#C0OUTSIDE>");
    expect(dm.args.text).toContain('`/invite @Confluence Agent`');
    expect(h.anthropic.requests.length).toBe(before);
  });

  it('creates the page from the whole thread and posts its link in the original thread', async () => {
    const form = aliceForm;
    const title = 'Launch retro';
    h.anthropic.script({
      content: [createPageCall(title, { html: '<h2>Summary</h2><p>It went well.</p>' })],
    });
    // The answer links the page the tool reported, as Claude would.
    h.anthropic.respondWith((request) => {
      const seen = JSON.stringify(request.body.messages.at(-1));
      const webui = /\/spaces\/MKT\/pages\/\d+\/[A-Za-z+]+/.exec(seen)?.[0];
      const base = h.composio.confluence.site(composioUser(ALICE)).baseUrl;
      return { content: [text(`Created [${title}](${base}${webui}) in MKT.`)] };
    });
    const res = await h.requester.interaction(
      h.eventsUrl,
      viewSubmission(h, {
        user: ALICE,
        view: form,
        values: {
          space: { value: { type: 'static_select', selected_option: { value: 'MKT' } } },
          space_key: { value: { type: 'plain_text_input', value: null } },
          title: { value: { type: 'plain_text_input', value: title } },
          parent: { value: { type: 'plain_text_input', value: null } },
          instructions: { value: { type: 'plain_text_input', value: 'credit Bobby' } },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');

    const reply = await h.waitForBotReply(CHANNEL, root.ts, `Created [${title}](`);
    const site = h.composio.confluence.site(composioUser(ALICE));
    const page = site.pages.find((p) => p.title === title)!;
    expect(page).toMatchObject({ spaceId: site.spaces.find((s) => s.key === 'MKT')!.id });
    expect(h.slack.visibleText(reply)).toContain(
      `${site.baseUrl}/spaces/MKT/pages/${page.id}/Launch+retro`,
    );
    expect(reply.thread_ts).toBe(root.ts);

    // The model got the whole thread (every page of replies), quoted with display names.
    const replies = h.slack.callsTo('conversations.replies').filter((c) => c.args.ts === root.ts);
    expect(replies.some((c) => c.args.cursor)).toBe(true);
    const first = JSON.stringify(h.anthropic.requests.at(-2)!.body.messages.at(-1));
    expect(first).toMatch(/<slack_thread>.*<\/slack_thread>/);
    expect(first).toContain('[Alice] Launch retro: what went well?');
    expect(first).toContain('[Bobby] retro note 1\\n');
    expect(first).toContain('[Bobby] @Bobby owns the follow-up');
    expect(first).toContain(`[Alice] retro note ${REPLIES}\\n`);
    expect(first).not.toContain('an earlier answer of the bot');
    expect(first).toContain('in space MKT titled \\"Launch retro\\"');
    expect(first).toContain('Extra instructions from the requester: credit Bobby');
  });
});
