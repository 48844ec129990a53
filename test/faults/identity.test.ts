/** SPEC §4 identity: tools run as the sender; links stay private; workspaces never meet. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerIn,
  buttonClick,
  composioUserOf,
  mention,
  messagesOf,
  turnLog,
} from '../e2e/agent-helpers.js';
import { text, toolUse } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { deletePrefix, testRedisUrl } from '../kit/redis.js';
import { errorLines, storedHistory } from './fault-kit.js';

const CHANNEL = 'C0IDENT';
const ALICE = 'U0ALICEID';
const BOB = 'U0BOBID';
const OTHER_TEAM = 'T0OTHER';

const createPage = (title: string) =>
  toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', {
    tools: [
      {
        tool_slug: 'CONFLUENCE_CREATE_PAGE',
        arguments: {
          spaceId: 'MKT',
          title,
          body: { storage: { representation: 'storage', value: `<p>${title}</p>` } },
        },
      },
    ],
  });

describe('identity and isolation', () => {
  let h: Harness;
  let redis: Redis;
  beforeAll(async () => {
    h = await startHarness();
    redis = new Redis(testRedisUrl());
    for (const user of [ALICE, BOB]) h.composio.connect(composioUserOf(h, user));
  });
  afterAll(async () => {
    await h?.stop();
    await deletePrefix(redis, h.keyPrefix);
    await redis.quit();
  });

  /** The Composio user whose Tool Router session ran the `n`-th page creation. */
  const creatorOf = (title: string) => {
    const call = h.composio.mcpCalls.find(
      (c) => c.method === 'tools/call' && JSON.stringify(c.args).includes(title),
    );
    return h.composio.sessions().find((s) => s.id === call?.sessionId)?.userId;
  };
  const titlesOf = (composioUser: string) =>
    h.composio.confluence.site(composioUser).pages.map((p) => p.title);

  it('runs tool calls as the person who asked, in a thread someone else started', async () => {
    h.anthropic.script({ content: [text('Hi Alice.')] });
    const root = await mention(h, { user: ALICE, channel: CHANNEL, text: 'hello' });
    await answerIn(h, CHANNEL, root.threadTs, 'Hi Alice.');

    h.anthropic.script(
      { content: [createPage('Bob Notes')] },
      { content: [text('Created Bob Notes.')] },
    );
    const bob = await mention(h, {
      user: BOB,
      channel: CHANNEL,
      text: 'create a page Bob Notes',
      threadTs: root.threadTs,
    });
    await turnLog(h, bob.eventId, 'turn finished');
    expect(creatorOf('Bob Notes')).toBe(composioUserOf(h, BOB));
    expect(titlesOf(composioUserOf(h, BOB))).toContain('Bob Notes');
    expect(titlesOf(composioUserOf(h, ALICE))).not.toContain('Bob Notes');
  });

  it('refuses Approve and Deny from anyone but the requester', async () => {
    const page = h.composio.confluence.execute(composioUserOf(h, ALICE), 'CONFLUENCE_CREATE_PAGE', {
      spaceId: 'MKT',
      title: 'Alice Only',
      body: { storage: { representation: 'storage', value: '<p>x</p>' } },
    });
    h.anthropic.script({
      content: [
        toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', {
          tools: [{ tool_slug: 'CONFLUENCE_DELETE_PAGE', arguments: { id: String(page.data.id) } }],
        }),
      ],
    });
    const turn = await mention(h, { user: ALICE, channel: CHANNEL, text: 'delete Alice Only' });
    await turnLog(h, turn.eventId, 'turn waiting for approval');
    const prompt = h.slack
      .callsTo('chat.postMessage')
      .find(
        (c) =>
          c.args.thread_ts === turn.threadTs &&
          JSON.stringify(c.args.blocks ?? '').includes('approval_approve'),
      )!;
    const click = (user: string, actionId: string) =>
      h.requester.interaction(
        h.eventsUrl,
        buttonClick(h, {
          user,
          channel: CHANNEL,
          message: { ts: String(prompt.result!.ts), thread_ts: turn.threadTs },
          actionId,
          value: turn.eventId,
        }),
      );
    for (const action of ['approval_approve', 'approval_deny']) {
      expect((await click(BOB, action)).status).toBe(200);
    }
    await h.slack.waitForCall(
      () => h.slack.callsTo('chat.postEphemeral').filter((c) => c.args.user === BOB).length >= 2,
    );
    expect(h.composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE')).toBe(0);
    const record = JSON.parse((await redis.get(`${h.keyPrefix}:turn:${turn.eventId}`)) ?? '{}');
    expect(record.status).toBe('awaiting_approval');
  });

  it('never puts a connect link in a shared place or an info log', async () => {
    const CAROL = 'U0CAROLID';
    h.anthropic.script(
      { content: [toolUse('COMPOSIO_MANAGE_CONNECTIONS', { toolkits: ['confluence'] })] },
      { content: [text('I sent you a private link to connect Confluence.')] },
    );
    const turn = await mention(h, { user: CAROL, channel: CHANNEL, text: 'list my spaces' });
    await turnLog(h, turn.eventId, 'turn finished');
    await h.requester.command(h.eventsUrl, {
      text: 'connect',
      user_id: CAROL,
      channel_id: CHANNEL,
      response_url: h.slack.responseUrl('carol-connect'),
    });
    const links = h.composio.links().filter((l) => l.userId === composioUserOf(h, CAROL));
    expect(links.length).toBeGreaterThanOrEqual(1);
    await h.slack.waitForResponse((r) => r.id === 'carol-connect');
    const shared = h.slack.calls.filter((c) => c.method !== 'chat.postEphemeral');
    const sharedText = JSON.stringify(shared.map((c) => c.args));
    const infoLogs = JSON.stringify(h.logs.filter((l) => Number(l.level) >= 30));
    for (const link of links) {
      expect(sharedText).not.toContain(link.redirectUrl);
      expect(infoLogs).not.toContain(link.redirectUrl);
    }
    expect(sharedText).not.toContain('composio.dev/link');
    expect(infoLogs).not.toContain('composio.dev/link');
    // The link did reach Carol, privately.
    const privately = JSON.stringify([h.slack.ephemerals, h.slack.responses]);
    expect(privately).toContain('composio.dev/link');
    expect(
      h.slack.ephemerals
        .filter((e) => JSON.stringify(e).includes('composio.dev/link'))
        .every((e) => e.user === CAROL),
    ).toBe(true);
  });

  it('keeps two workspaces apart: same user and channel ids, separate history and identity', async () => {
    const SAME_USER = 'U0SAMEID';
    const SAME_CHANNEL = 'C0SAMEID';
    const teams = [h.slack.teamId, OTHER_TEAM];
    for (const team of teams) h.composio.connect(`slack-${team}-${SAME_USER}`);
    const root = h.slack.addMessage({ channel: SAME_CHANNEL, user: SAME_USER, text: 'hi' });
    const ask = async (team: string, words: string, threadTs?: string) => {
      const message = threadTs
        ? h.slack.addMessage({
            channel: SAME_CHANNEL,
            user: SAME_USER,
            text: words,
            thread_ts: threadTs,
          })
        : root;
      const sent = await h.requester.event(
        h.eventsUrl,
        {
          type: 'app_mention',
          user: SAME_USER,
          text: `<@${h.slack.botUserId}> ${words}`,
          ts: message.ts,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          channel: SAME_CHANNEL,
          team,
        },
        { teamId: team },
      );
      expect(sent.status).toBe(200);
      await turnLog(h, sent.eventId, 'turn finished');
    };
    h.anthropic.script(
      { content: [createPage('Team One Page')] },
      { content: [text('Made Team One Page.')] },
    );
    await ask(teams[0]!, 'secret-one: make Team One Page');
    h.anthropic.script(
      { content: [createPage('Team Two Page')] },
      { content: [text('Made Team Two Page.')] },
    );
    await ask(teams[1]!, 'secret-two: make Team Two Page');

    h.anthropic.script({ content: [text('Only Team Two here.')] });
    const before = h.anthropic.requests.length;
    await ask(teams[1]!, 'what did we do?', root.ts);
    const seenByTwo = JSON.stringify(messagesOf(h, before).slice(0, -1));
    expect(seenByTwo).toContain('secret-two');
    expect(seenByTwo).not.toContain('secret-one');

    const histories = await Promise.all(
      teams.map((teamId) =>
        storedHistory(redis, h.keyPrefix, { teamId, channel: SAME_CHANNEL, threadTs: root.ts }),
      ),
    );
    expect(JSON.stringify(histories[0])).toContain('secret-one');
    expect(JSON.stringify(histories[0])).not.toContain('secret-two');
    expect(JSON.stringify(histories[1])).toContain('secret-two');
    expect(JSON.stringify(histories[1])).not.toContain('secret-one');
    for (const team of teams)
      expect(await redis.get(`${h.keyPrefix}:user:${team}:${SAME_USER}`)).toBe(
        `slack-${team}-${SAME_USER}`,
      );
    expect(creatorOf('Team One Page')).toBe(`slack-${teams[0]}-${SAME_USER}`);
    expect(creatorOf('Team Two Page')).toBe(`slack-${teams[1]}-${SAME_USER}`);
    expect(titlesOf(`slack-${teams[0]}-${SAME_USER}`)).not.toContain('Team Two Page');
    expect(titlesOf(`slack-${teams[1]}-${SAME_USER}`)).not.toContain('Team One Page');
    expect(errorLines(h.logs)).toEqual([]);
  });
});
