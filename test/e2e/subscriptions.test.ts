/**
 * Channel subscriptions end to end (src/subscriptions, /confluence subscribe): the real app,
 * real Redis, the fake Slack and the fake Confluence, polling every 0.3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../kit/harness.js';
import { connectTestRedis } from '../kit/redis.js';
import { openHome } from '../kit/slack-helpers.js';
import {
  deliveredTitles,
  deliveries,
  morePolls,
  notices,
  runCommand,
} from '../kit/subscription-helpers.js';
import { waitUntil } from '../kit/wait.js';

const ANA = 'U0SUBANA';
const BOB = 'U0SUBBOB';
const CAROL = 'U0SUBCAROL';
const EDITOR = { accountId: 'acc-editor', publicName: 'Eddie Editor' };

describe('channel subscriptions', () => {
  let h: Harness;
  const redis = connectTestRedis();
  const userOf = (user: string) => `slack-${h.slack.teamId}-${user}`;
  const command = (user: string, channel: string, text: string, id: string) =>
    runCommand(h, user, channel, text, id);
  const privately = (id: string) => h.slack.waitForResponse((r) => r.id === id);
  const subscribed = async (user: string, channel: string, text: string, id: string) => {
    expect((await command(user, channel, text, id)).status).toBe(200);
    await waitUntil('the subscription confirmation', () =>
      notices(h.slack, channel).some((n) => n.includes('subscribed this channel')),
    );
  };
  beforeAll(async () => {
    h = await startHarness({ env: { SUBSCRIPTION_POLL_SECONDS: '0.3' } });
    h.composio.connect(userOf(ANA));
  });
  afterAll(async () => {
    await h?.stop();
    redis.disconnect();
  });

  it('confirms in the channel, then posts two new pages and an update as three cards, each once', async () => {
    const channel = 'C0SUBCARDS';
    await subscribed(ANA, channel, 'subscribe mkt', 'cards');
    const confirmation = notices(h.slack, channel)[0]!;
    expect(confirmation).toContain(`<@${ANA}> subscribed this channel to *MKT* (Marketing)`);
    expect(confirmation).toContain('new and updated pages');
    expect(confirmation).toContain(`seen with <@${ANA}>'s Confluence access`);
    const site = h.composio.confluence;
    const first = site.addContent(userOf(ANA), 'MKT', {
      title: 'Launch Plan',
      body: '<p>Dates and owners for the launch.</p>',
      by: EDITOR,
    });
    site.addContent(userOf(ANA), 'MKT', { title: 'Brand Book', body: '<p>Colours.</p>' });
    await waitUntil('two cards', () => deliveries(h.slack, channel).length === 2);
    site.editContent(userOf(ANA), first, { body: '<p>New dates.</p>', message: 'Moved the date' });
    await waitUntil('the third card', () => deliveries(h.slack, channel).length === 3);
    await morePolls(redis, h.keyPrefix, 5);
    const cards = deliveries(h.slack, channel).map((m) => JSON.stringify(m.blocks));
    expect(cards).toHaveLength(3);
    expect(cards[0]).toContain('New page:');
    expect(cards[0]).toContain('|Launch Plan>');
    expect(cards[0]).toContain('Eddie Editor');
    expect(cards[0]).toContain('Dates and owners for the launch.');
    expect(cards[1]).toContain('|Brand Book>');
    expect(cards[2]).toContain('Updated page:');
    expect(cards[2]).toContain('Moved the date');
    expect(deliveredTitles(h.slack, channel, ['Launch Plan', 'Brand Book'])).toEqual([
      'Launch Plan',
      'Brand Book',
      'Launch Plan',
    ]);
  });

  it('posts fifty changes of one interval as one digest within Slack limits', async () => {
    const channel = 'C0SUBBURST';
    await subscribed(ANA, channel, 'subscribe ENG all', 'burst');
    const titles = Array.from({ length: 50 }, (_, i) => `Runbook ${String(i).padStart(2, '0')}`);
    // Written in one go: the fake runs in this process, so no poll falls between them.
    for (const title of titles) h.composio.confluence.addContent(userOf(ANA), 'ENG', { title });
    await waitUntil('the digest', () => deliveries(h.slack, channel).length > 0);
    await morePolls(redis, h.keyPrefix, 5);
    const posted = deliveries(h.slack, channel);
    expect(posted).toHaveLength(1);
    const blocks = posted[0]!.blocks as Array<{ text?: { text: string } }>;
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    expect(blocks[0]!.text!.text).toContain('50 changes in ENG');
    expect(deliveredTitles(h.slack, channel, titles).sort()).toEqual(titles);
  });

  it('pauses once when the owner disconnects, and brings what changed meanwhile on reconnect', async () => {
    const channel = 'C0SUBPAUSE';
    await subscribed(ANA, channel, 'subscribe MKT pages', 'pause');
    h.composio.disconnect(userOf(ANA));
    await waitUntil('the paused notice', () =>
      notices(h.slack, channel).some((n) => n.includes('is paused')),
    );
    h.composio.confluence.addContent(userOf(ANA), 'MKT', { title: 'Written While Paused' });
    await morePolls(redis, h.keyPrefix, 5);
    expect(notices(h.slack, channel).filter((n) => n.includes('is paused'))).toHaveLength(1);
    expect(deliveries(h.slack, channel)).toHaveLength(0);
    h.composio.connect(userOf(ANA));
    await waitUntil('the catch-up card', () => deliveries(h.slack, channel).length === 1);
    expect(deliveredTitles(h.slack, channel, ['Written While Paused'])).toEqual([
      'Written While Paused',
    ]);
    expect(notices(h.slack, channel).filter((n) => n.includes('is back'))).toHaveLength(1);
  });

  it('pauses once when the owner leaves the workspace, and resumes if they come back', async () => {
    const channel = 'C0SUBLEFT';
    const owner = 'U0SUBLEAVER';
    h.composio.connect(userOf(owner));
    h.slack.addUser({ id: owner, name: 'leaver' });
    await subscribed(owner, channel, 'subscribe MKT pages', 'left');
    // Deactivated: users.info now says `deleted: true`; the connection itself still works.
    h.slack.addUser({ id: owner, name: 'leaver', deleted: true });
    await waitUntil('the paused notice', () =>
      notices(h.slack, channel).some((n) => n.includes('left the workspace')),
    );
    h.composio.confluence.addContent(userOf(owner), 'MKT', { title: 'Written After Leaving' });
    await morePolls(redis, h.keyPrefix, 5);
    expect(notices(h.slack, channel).filter((n) => n.includes('is paused'))).toHaveLength(1);
    expect(deliveries(h.slack, channel)).toHaveLength(0);
    h.slack.addUser({ id: owner, name: 'leaver' });
    await waitUntil('the catch-up card', () => deliveries(h.slack, channel).length === 1);
    expect(notices(h.slack, channel).filter((n) => n.includes('is back'))).toHaveLength(1);
  });

  it('stops delivering after unsubscribe, said in the channel', async () => {
    const channel = 'C0SUBSTOP';
    await subscribed(ANA, channel, 'subscribe MKT', 'stop');
    await command(BOB, channel, 'unsubscribe mkt', 'stop-2');
    await waitUntil('the unsubscribe notice', () =>
      notices(h.slack, channel).some((n) => n.includes(`<@${BOB}> unsubscribed this channel`)),
    );
    h.composio.confluence.addContent(userOf(ANA), 'MKT', { title: 'After Unsubscribe' });
    await morePolls(redis, h.keyPrefix, 5);
    expect(deliveries(h.slack, channel)).toHaveLength(0);
    await command(BOB, channel, 'unsubscribe MKT', 'stop-3');
    expect((await privately('stop-3')).body.text).toContain('not subscribed to `MKT`');
  });

  it('refuses a space the caller cannot read, and a caller without a connection, privately', async () => {
    const channel = 'C0SUBREFUSE';
    await command(ANA, channel, 'subscribe SECRET', 'refuse');
    const refused = (await privately('refuse')).body;
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toContain("I can't find a space `SECRET`");
    expect(refused.text).toContain('`MKT`');
    await command(BOB, channel, 'subscribe MKT', 'refuse-2');
    expect((await privately('refuse-2')).body.text).toContain('/confluence connect');
    await command(ANA, channel, 'subscriptions', 'refuse-3');
    expect((await privately('refuse-3')).body.text).toContain('follows no Confluence space');
    expect(h.slack.messages(channel).filter((m) => m.bot_id)).toHaveLength(0);
  });

  it('answers typos and bad arguments privately, and lists subscriptions with their owner', async () => {
    const channel = 'C0SUBLIST';
    await command(ANA, channel, 'subscibe MKT', 'typo');
    expect((await privately('typo')).body.text).toContain("I don't know the subcommand `subscibe`");
    await command(ANA, channel, 'subscribe MKT everything', 'kind');
    expect((await privately('kind')).body.text).toContain('is not a kind');
    await subscribed(ANA, channel, 'subscribe MKT comments', 'list');
    await command(BOB, channel, 'subscriptions', 'list-2');
    const listed = (await privately('list-2')).body.text as string;
    expect(listed).toContain('*MKT*');
    expect(listed).toContain(`owner <@${ANA}>`);
    expect(listed).toContain('comments');
    await command(ANA, channel, 'help', 'list-3');
    expect((await privately('list-3')).body.text).toContain('Your channel subscriptions');
    const home = JSON.stringify(await (await openHome(h, ANA)).view);
    expect(home).toContain('Your channel subscriptions');
    expect(home).toContain(`*MKT* in <#${channel}>`);
    expect(JSON.stringify(await (await openHome(h, BOB)).view)).not.toContain('subscriptions');
  });

  it('settles a claim left by a poll that died: posted once if its message is missing, not again if it is there', async () => {
    const channel = 'C0SUBCLAIM';
    await subscribed(ANA, channel, 'subscribe MKT', 'claim');
    const site = new URL(h.composio.confluence.site(userOf(ANA)).baseUrl).host;
    const claimKey = (id: string) =>
      `${h.keyPrefix}:delivered:${h.slack.teamId}:${channel}:${site}:${id}:1`;
    const since = Math.floor(Date.now() / 1000) - 1;
    // Died after claiming, before posting: no message carries the mark.
    const lost = h.composio.confluence.addContent(userOf(ANA), 'MKT', {
      title: 'Claimed Not Posted',
    });
    await redis.set(claimKey(lost), `mark-of-a-dead-poll@${since}`);
    await waitUntil('the lost change posted', () => deliveries(h.slack, channel).length === 1);
    // Died after posting, before recording it: the message with its mark is in the channel.
    const [posted] = deliveries(h.slack, channel);
    const mark = String(posted!.metadata!.event_payload.mark);
    await redis.set(claimKey(lost), `${mark}@${since}`);
    await morePolls(redis, h.keyPrefix, 5);
    expect(deliveredTitles(h.slack, channel, ['Claimed Not Posted'])).toEqual([
      'Claimed Not Posted',
    ]);
    expect(await redis.get(claimKey(lost))).toBe('posted');
  });

  it('backs off while Confluence is unreachable, tells the channel once, and delivers once it answers', async () => {
    const channel = 'C0SUBOUTAGE';
    h.composio.connect(userOf(CAROL));
    await subscribed(CAROL, channel, 'subscribe MKT', 'outage');
    // Carol's Confluence is down for her next 8 tool runs (a poll makes two): four failed
    // polls in a row, backing off 0.3, 0.6, 1.2 and 2.4 s (at most 30 intervals).
    h.composio.confluence.outage(userOf(CAROL), 8);
    await waitUntil(
      'the outage notice',
      () => notices(h.slack, channel).some((n) => n.includes("can't reach Confluence")),
      20_000,
    );
    h.composio.confluence.addContent(userOf(CAROL), 'MKT', { title: 'Written During Outage' });
    await waitUntil(
      'the change, once Confluence answers',
      () => deliveries(h.slack, channel).length === 1,
      30_000,
    );
    expect(deliveredTitles(h.slack, channel, ['Written During Outage'])).toHaveLength(1);
    expect(
      notices(h.slack, channel).filter((n) => n.includes("can't reach Confluence")),
    ).toHaveLength(1);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^confluence_agent_subscription_failures_total [1-9]/m);
    expect(metrics).toMatch(/^confluence_agent_subscription_posts_total [1-9]/m);
    expect(metrics).toMatch(/^confluence_agent_subscription_polls_total [1-9]/m);
    expect(metrics).toMatch(/^confluence_agent_subscriptions [1-9]/m);
  }, 60_000);

  it('after a pause of days, counts the changes older than a day in one line and shows the rest', async () => {
    const channel = 'C0SUBLONGPAUSE';
    const DAVE = 'U0SUBDAVE';
    h.composio.connect(userOf(DAVE));
    await subscribed(DAVE, channel, 'subscribe ENG', 'long');
    h.composio.disconnect(userOf(DAVE));
    await waitUntil('the paused notice', () =>
      notices(h.slack, channel).some((n) => n.includes('is paused')),
    );
    // The pause began three days ago: the subscription, its mark and its pause are moved back.
    const days = (n: number) => Date.now() - n * 24 * 3_600_000;
    const id = `sub-${h.slack.teamId}-${channel}-ENG`;
    const subKey = `${h.keyPrefix}:sub:${id}`;
    const stateKey = `${h.keyPrefix}:substate:${id}`;
    // Edited under the subscription's poll lock, as a poll holds it: a poll in flight would
    // otherwise write its older view of the state over the edit.
    const pollLock = `${h.keyPrefix}:subpoll:${id}`;
    await waitUntil(
      'the poll lock',
      async () => (await redis.set(pollLock, 'test', 'EX', 30, 'NX')) === 'OK',
    );
    const sub = JSON.parse((await redis.get(subKey))!);
    await redis.set(subKey, JSON.stringify({ ...sub, createdAt: days(3) }), 'KEEPTTL');
    const state = {
      highWater: days(3),
      paused: { since: days(3), reason: 'no Confluence connection' },
    };
    await redis.set(stateKey, JSON.stringify(state), 'KEEPTTL');
    await redis.del(pollLock);
    // Dave's site (and its ENG home page) came before all that.
    const site = h.composio.confluence.site(userOf(DAVE));
    const home = site.spaces.find((s) => s.key === 'ENG')!.homepageId;
    const before = new Date(days(4)).toISOString();
    h.composio.confluence.changePage(userOf(DAVE), home, { createdAt: before, updatedAt: before });
    for (const n of [1, 2]) {
      const at = new Date(days(1 + n / 2));
      h.composio.confluence.addContent(userOf(DAVE), 'ENG', { title: `Old ${n}`, at });
    }
    h.composio.confluence.addContent(userOf(DAVE), 'ENG', { title: 'Recent' });
    h.composio.connect(userOf(DAVE));
    await waitUntil('the catch-up', () => deliveries(h.slack, channel).length === 2);
    await morePolls(redis, h.keyPrefix, 5);
    const posted = deliveries(h.slack, channel).map((m) => h.slack.visibleText(m));
    expect(posted).toHaveLength(2);
    expect(posted[0]).toContain('2 changes in ENG while the subscription was paused');
    expect(deliveredTitles(h.slack, channel, ['Old 1', 'Old 2', 'Recent'])).toEqual(['Recent']);
  });
});
