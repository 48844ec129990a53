/**
 * link_shared (src/slack/listeners/events/link-shared.ts): a Confluence page link gets a preview
 * through chat.unfurl, looked up with the poster's own connection (real app, real Redis, the fake
 * Slack's link_shared and chat.unfurl, the fake Composio's Confluence).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PREVIEW_LINKS } from '../../../../src/slack/listeners/events/link-shared.js';
import { settleAfterAck } from '../../../../src/slack/plumbing/after-ack.js';
import { TTL } from '../../../../src/store/keys.js';
import type { FakeComposio } from '../../../kit/fake-composio/index.js';
import type { SlackCall } from '../../../kit/fake-slack/index.js';
import { type Harness, startHarness } from '../../../kit/harness.js';
import { shareLinks } from '../../../kit/slack-helpers.js';
import { storageBody } from '../../../kit/tool-calls.js';

const CHANNEL = 'C0LINKS';
const EXCERPT = 'The launch moves to the third week of March, after the pricing review.';

/** Creates a page on the poster's own fake site; resolves with its id and its URL. */
function seedPage(composio: FakeComposio, composioUser: string, title: string, html: string) {
  const created = composio.confluence.execute(composioUser, 'CONFLUENCE_CREATE_PAGE', {
    spaceId: 'MKT',
    title,
    body: storageBody(html),
  });
  if (!created.successful) throw new Error(`seed failed: ${created.error}`);
  const id = String(created.data.id);
  const { baseUrl } = composio.confluence.site(composioUser);
  return { id, url: `${baseUrl}/spaces/MKT/pages/${id}/${encodeURIComponent(title)}` };
}

/** Waits until every piece of work the app started after an ack has finished. */
async function settled(): Promise<void> {
  expect(await settleAfterAck(10_000), 'after-ack work finished').toBe(true);
}

/** How many times the poster's site was asked for this page. */
const pageLookups = (h: Harness, user: string, id: string) =>
  h.composio.confluence.calls.filter(
    (c) =>
      c.userId === user &&
      c.slug === 'CONFLUENCE_GET_PAGE_BY_ID' &&
      String((c.args as { id?: unknown }).id) === id,
  ).length;

/** The chat.unfurl calls for the message at `ts` in CHANNEL (by channel + ts, or its unfurl_id). */
const unfurlsOf = (h: Harness, ts: string) =>
  h.slack
    .callsTo('chat.unfurl')
    .filter(
      (c) =>
        (c.args.channel === CHANNEL && c.args.ts === ts) ||
        String(c.args.unfurl_id ?? '').startsWith(`${CHANNEL}.${ts.replace('.', '')}.`),
    );

describe('Confluence link previews', () => {
  let h: Harness;
  let user = 0;
  /** A fresh Slack user (so caches and connections never carry over) and their Composio user. */
  function poster(connected: boolean) {
    user += 1;
    const slackUser = `U0POSTER${user}`;
    const composioUser = `slack-${h.slack.teamId}-${slackUser}`;
    if (connected) h.composio.connect(composioUser);
    return { slackUser, composioUser };
  }
  async function unfurlOf(ts: string): Promise<SlackCall> {
    return h.slack.waitFor('chat.unfurl', (c) => unfurlsOf(h, ts).includes(c));
  }
  beforeAll(async () => {
    h = await startHarness({ env: { CONFLUENCE_DOMAINS: 'atlassian.net' } });
  });
  afterAll(() => h?.stop());

  it("unfurls a connected poster's page link with its title, space, last editor and excerpt", async () => {
    const { slackUser, composioUser } = poster(true);
    const page = seedPage(
      h.composio,
      composioUser,
      'Launch Plan',
      `<h1>Plan</h1><p>${EXCERPT}</p>`,
    );
    h.composio.confluence.changePage(composioUser, page.id, {
      updatedBy: { accountId: 'acct-ada', publicName: 'Ada Lovelace' },
    });
    const shared = await shareLinks(h, {
      user: slackUser,
      channel: CHANNEL,
      text: `Have a look: <${page.url}>`,
    });
    expect(shared.event.links).toEqual([{ domain: expect.any(String), url: page.url }]);

    const call = await unfurlOf(shared.ts);
    expect(call.result?.ok).toBe(true);
    expect(call.args.user_auth_required).toBeUndefined();
    const preview = JSON.stringify(call.args.unfurls[page.url]);
    expect(preview).toContain('Launch Plan');
    expect(preview).toContain('Space Marketing');
    expect(preview).toContain('Last updated by Ada Lovelace');
    expect(preview).toContain(EXCERPT);
    // Everyone in the channel sees it: it is attached to the message itself.
    const message = h.slack.messages(CHANNEL).find((m) => m.ts === shared.ts);
    expect(Object.keys(message?.unfurls ?? {})).toEqual([page.url]);
    // Nothing of the page, and no URL, in the logs.
    expect(JSON.stringify(h.logs)).not.toContain(EXCERPT);
    expect(JSON.stringify(h.logs)).not.toContain(page.url);
  });

  it('asks an unconnected poster to connect, privately, and shows nothing to the channel', async () => {
    const connected = poster(true);
    const page = seedPage(
      h.composio,
      connected.composioUser,
      'Secret Roadmap',
      `<p>${EXCERPT}</p>`,
    );
    const { slackUser, composioUser } = poster(false);
    const shared = await shareLinks(h, { user: slackUser, channel: CHANNEL, text: page.url });

    const call = await unfurlOf(shared.ts);
    expect(call.result?.ok).toBe(true);
    expect(call.args.user_auth_required).toBe('true');
    const link = h.composio.links().find((l) => l.userId === composioUser);
    expect(link?.redirectUrl).toBeDefined();
    expect(call.args.user_auth_url).toBe(link?.redirectUrl);
    expect(call.args.unfurls).toEqual({});
    // The prompt is the poster's alone; the channel's message has no preview.
    expect(h.slack.unfurlPrompts.filter((p) => p.message_ts === shared.ts)).toEqual([
      expect.objectContaining({ user: slackUser, user_auth_url: link?.redirectUrl }),
    ]);
    const message = h.slack.messages(CHANNEL).find((m) => m.ts === shared.ts);
    expect(Object.keys(message?.unfurls ?? {})).toEqual([]);
    expect(JSON.stringify(h.logs)).not.toContain(link?.redirectUrl);
  });

  it('shows a page with read restrictions by its title only', async () => {
    const { slackUser, composioUser } = poster(true);
    const page = seedPage(h.composio, composioUser, 'Salary Bands', `<p>${EXCERPT}</p>`);
    const { viewer } = h.composio.confluence.site(composioUser);
    h.composio.confluence.changePage(composioUser, page.id, {
      readRestrictedTo: [viewer, { accountId: 'acct-hr', publicName: 'HR Lead' }],
    });
    const shared = await shareLinks(h, { user: slackUser, channel: CHANNEL, text: page.url });

    const preview = JSON.stringify((await unfurlOf(shared.ts)).args.unfurls[page.url]);
    expect(preview).toContain('Salary Bands');
    expect(preview).toContain('Restricted page');
    expect(preview).not.toContain(EXCERPT);
    expect(preview).not.toContain('Marketing');
    expect(preview).not.toContain('Last updated');
  });

  it('gives no preview of a page the poster cannot read', async () => {
    const { slackUser, composioUser } = poster(true);
    const page = seedPage(h.composio, composioUser, 'Board Minutes', `<p>${EXCERPT}</p>`);
    h.composio.confluence.changePage(composioUser, page.id, {
      readRestrictedTo: [{ accountId: 'acct-board', publicName: 'Board Member' }],
    });
    const shared = await shareLinks(h, { user: slackUser, channel: CHANNEL, text: page.url });
    await settled();

    expect(pageLookups(h, composioUser, page.id)).toBe(1);
    expect(unfurlsOf(h, shared.ts)).toEqual([]);
    expect(h.slack.unfurlPrompts.filter((p) => p.message_ts === shared.ts)).toEqual([]);
  });

  it('unfurls a retried delivery once', async () => {
    const { slackUser, composioUser } = poster(true);
    const page = seedPage(h.composio, composioUser, 'Retry Notes', '<p>Once.</p>');
    const shared = await shareLinks(h, { user: slackUser, channel: CHANNEL, text: page.url });
    await shared.resend(1);
    await shared.resend(2);
    await h.state.eventHandled(shared.eventId);
    await settled();

    expect(unfurlsOf(h, shared.ts)).toHaveLength(1);
    expect(pageLookups(h, composioUser, page.id)).toBe(1);
  });

  it('previews several links of one message in one chat.unfurl, one lookup each', async () => {
    const { slackUser, composioUser } = poster(true);
    const pages = ['Alpha', 'Beta', 'Gamma'].map((t) =>
      seedPage(h.composio, composioUser, t, `<p>${t} body</p>`),
    );
    const shared = await shareLinks(h, {
      user: slackUser,
      channel: CHANNEL,
      text: pages.map((p) => `<${p.url}>`).join(' and '),
    });
    await settled();

    const calls = unfurlsOf(h, shared.ts);
    expect(calls).toHaveLength(1);
    expect(Object.keys(calls[0]!.args.unfurls).sort()).toEqual(pages.map((p) => p.url).sort());
    for (const p of pages) expect(pageLookups(h, composioUser, p.id)).toBe(1);
  });

  it('serves the same link posted again within minutes from the cache, without a lookup', async () => {
    const { slackUser, composioUser } = poster(true);
    const page = seedPage(h.composio, composioUser, 'Cached Page', '<p>Cached body.</p>');
    const first = await shareLinks(h, { user: slackUser, channel: CHANNEL, text: page.url });
    await unfurlOf(first.ts);
    const key = h.state.keys.linkPreview(composioUser, new URL(page.url).hostname, page.id);
    expect(await h.state.pttl(key)).toBeGreaterThan((TTL.linkPreview - 60) * 1000);

    const again = await shareLinks(h, { user: slackUser, channel: CHANNEL, text: page.url });
    const second = await unfurlOf(again.ts);
    expect(JSON.stringify(second.args.unfurls[page.url])).toContain('Cached Page');
    expect(pageLookups(h, composioUser, page.id)).toBe(1);
  });

  it('previews no link in a conversation the bot is not a member of', async () => {
    const { slackUser, composioUser } = poster(true);
    const page = seedPage(h.composio, composioUser, 'Elsewhere', '<p>Not here.</p>');
    const shared = await shareLinks(h, {
      user: slackUser,
      channel: 'C0NOTMEMBER',
      text: page.url,
      botIsMember: false,
    });
    await settled();
    expect(h.slack.callsTo('chat.unfurl').filter((c) => c.args.unfurls?.[page.url])).toEqual([]);
    expect(pageLookups(h, composioUser, page.id)).toBe(0);
    expect(shared.event.is_bot_user_member).toBe(false);
  });

  it('survives malformed, empty and oversized link lists, previewing a bounded number', async () => {
    const { slackUser, composioUser } = poster(true);
    const pages = Array.from({ length: MAX_PREVIEW_LINKS + 3 }, (_, i) =>
      seedPage(h.composio, composioUser, `Many ${i}`, `<p>Page ${i}.</p>`),
    );
    const message = h.slack.addMessage({
      channel: CHANNEL,
      user: slackUser,
      text: pages.map((p) => `<${p.url}>`).join(' '),
    });
    const event = h.slack.linkShared(message, ['atlassian.net']);
    const { baseUrl } = h.composio.confluence.site(composioUser);
    const junk = [
      null,
      5,
      'text',
      { url: 7 },
      { url: 'not a url' },
      { url: `http:${baseUrl.slice('https:'.length)}/spaces/MKT/pages/1` },
      { url: `${baseUrl}/spaces/MKT/pages/${'9'.repeat(3000)}` },
    ];
    for (const links of [[], 'not a list', junk]) {
      const res = await h.requester.event(h.eventsUrl, { ...event, links });
      expect(res.status).toBe(200);
    }
    await settled();
    expect(unfurlsOf(h, message.ts)).toEqual([]);

    const res = await h.requester.event(h.eventsUrl, {
      ...event,
      links: [...junk, ...event.links],
    });
    expect(res.status).toBe(200);
    const call = await unfurlOf(message.ts);
    expect(Object.keys(call.args.unfurls)).toEqual(
      pages.slice(0, MAX_PREVIEW_LINKS).map((p) => p.url),
    );
    const looked = pages.map((p) => pageLookups(h, composioUser, p.id));
    expect(looked).toEqual(pages.map((_, i) => (i < MAX_PREVIEW_LINKS ? 1 : 0)));
  });

  it('ignores links that are not Confluence pages', async () => {
    const { slackUser, composioUser } = poster(true);
    const { baseUrl } = h.composio.confluence.site(composioUser);
    const shared = await shareLinks(h, {
      user: slackUser,
      channel: CHANNEL,
      text: `<${baseUrl}/spaces/MKT/overview> <https://jira.atlassian.net/browse/ENG-1>`,
    });
    expect(shared.event.links).toHaveLength(2);
    await settled();
    expect(unfurlsOf(h, shared.ts)).toEqual([]);
    expect(h.composio.confluence.calls.filter((c) => c.userId === composioUser)).toEqual([]);
  });
});

describe('Confluence link previews with excerpts turned off', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { CONFLUENCE_DOMAINS: 'atlassian.net', LINK_PREVIEW_EXCERPTS: 'off' },
    });
  });
  afterAll(() => h?.stop());

  it('shows the title, space and last update, and no excerpt', async () => {
    const composioUser = `slack-${h.slack.teamId}-U0NOEXCERPT`;
    h.composio.connect(composioUser);
    const page = seedPage(h.composio, composioUser, 'Open Page', `<p>${EXCERPT}</p>`);
    const shared = await shareLinks(h, { user: 'U0NOEXCERPT', channel: CHANNEL, text: page.url });

    const call = await h.slack.waitFor('chat.unfurl', (c) => Boolean(c.args.unfurls?.[page.url]));
    expect(call.args.unfurls[page.url]).toBeDefined();
    const preview = JSON.stringify(call.args.unfurls[page.url]);
    expect(preview).toContain('Open Page');
    expect(preview).toContain('Space Marketing');
    expect(preview).not.toContain(EXCERPT);
    expect(shared.ts).toBeDefined();
  });
});

describe('Confluence link previews at LOG_LEVEL=trace', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CONFLUENCE_DOMAINS: 'atlassian.net', LOG_LEVEL: 'trace' } });
  });
  afterAll(() => h?.stop());

  it("logs no link, page title, excerpt or connect link, in Slack's SDK lines either", async () => {
    const owner = `slack-${h.slack.teamId}-U0TRACEOWNER`;
    h.composio.connect(owner);
    const title = `Trace Title ${Date.now()}`;
    const page = seedPage(h.composio, owner, title, `<p>${EXCERPT}</p>`);
    await shareLinks(h, { user: 'U0TRACEOWNER', channel: CHANNEL, text: page.url });
    await h.slack.waitFor('chat.unfurl', (c) => c.args.unfurls?.[page.url] !== undefined);
    await shareLinks(h, { user: 'U0TRACENEW', channel: CHANNEL, text: page.url });
    await h.slack.waitFor('chat.unfurl', (c) => c.args.user_auth_required !== undefined);
    await settled();

    // The run did log at trace level, the Slack SDK's own lines included.
    expect(h.logs.some((l) => l.component === 'bolt')).toBe(true);
    const lines = h.logs.map((l) => JSON.stringify(l));
    const linkPath = new URL(page.url).pathname;
    const encoded = [linkPath, title, EXCERPT].map(encodeURIComponent);
    for (const value of [linkPath, title, EXCERPT, 'composio.dev/link', ...encoded])
      expect(
        lines.filter((l) => l.includes(value)),
        `log lines holding ${value}`,
      ).toEqual([]);
  });
});

describe('Confluence link previews without REDIS_URL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ memoryStore: true, env: { CONFLUENCE_DOMAINS: 'atlassian.net' } });
  });
  afterAll(() => h?.stop());

  it('caches previews in process, and unfurls a retried delivery once', async () => {
    const composioUser = `slack-${h.slack.teamId}-U0INPROCESS`;
    h.composio.connect(composioUser);
    const page = seedPage(h.composio, composioUser, 'In Process', '<p>Kept here.</p>');
    const first = await shareLinks(h, { user: 'U0INPROCESS', channel: CHANNEL, text: page.url });
    await first.resend(1);
    await settled();
    const again = await shareLinks(h, { user: 'U0INPROCESS', channel: CHANNEL, text: page.url });
    await settled();

    expect(unfurlsOf(h, first.ts)).toHaveLength(1);
    expect(JSON.stringify(unfurlsOf(h, again.ts)[0]?.args.unfurls)).toContain('In Process');
    expect(pageLookups(h, composioUser, page.id)).toBe(1);
  });
});
