/** SPEC §4 identity: tools run as the sender; approvals and connect links stay the requester's. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerIn,
  approvalPrompt,
  buttonClick,
  composioUserOf,
  mention,
} from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { testRedisUrl } from '../kit/redis.js';
import {
  createPageCall,
  deletePageCall,
  manageConnectionsCall,
  seedPage,
} from '../kit/tool-calls.js';
import { creatorOf, errorLines, expectNoSecrets, secretsOf, titlesOf } from './fault-kit.js';

const CHANNEL = 'C0IDENT';
const ALICE = 'U0ALICEID';
const BOB = 'U0BOBID';

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
    expectNoSecrets(h.logs, secretsOf(h));
    await redis.quit();
  });

  it('runs tool calls as the person who asked, in a thread someone else started', async () => {
    h.anthropic.script({ content: [text('Hi Alice.')] });
    const root = await mention(h, { user: ALICE, channel: CHANNEL, text: 'hello' });
    await answerIn(h, CHANNEL, root.threadTs, 'Hi Alice.');

    h.anthropic.script(
      { content: [createPageCall('Bob Notes')] },
      { content: [text('Created Bob Notes.')] },
    );
    const bob = await mention(h, {
      user: BOB,
      channel: CHANNEL,
      text: 'create a page Bob Notes',
      threadTs: root.threadTs,
    });
    await h.state.turnEnded(bob.eventId);
    expect(creatorOf(h, 'Bob Notes')).toBe(composioUserOf(h, BOB));
    expect(titlesOf(h, composioUserOf(h, BOB))).toContain('Bob Notes');
    expect(titlesOf(h, composioUserOf(h, ALICE))).not.toContain('Bob Notes');
  });

  it('refuses Approve and Deny from anyone but the requester', async () => {
    const pageId = seedPage(h.composio, composioUserOf(h, ALICE), 'Alice Only');
    h.anthropic.script({ content: [deletePageCall(pageId)] });
    const turn = await mention(h, { user: ALICE, channel: CHANNEL, text: 'delete Alice Only' });
    const prompt = await approvalPrompt(h, turn.threadTs);
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
      { content: [manageConnectionsCall()] },
      { content: [text('I sent you a private link to connect Confluence.')] },
    );
    const turn = await mention(h, { user: CAROL, channel: CHANNEL, text: 'list my spaces' });
    await h.state.turnEnded(turn.eventId);
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
    expect(errorLines(h.logs)).toEqual([]);
  });
});
