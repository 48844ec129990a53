/**
 * What a person and an operator see of the token usage (src/store/usage.ts): `/confluence
 * status` shows the caller's own month, `/admin/usage` (src/http/health-routes.ts) the top users
 * behind the operator token; neither shows one person's usage to another through Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askToDelete, composioUserOf, mention } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { scrape } from '../kit/prometheus.js';
import { getSpacesCall } from '../kit/tool-calls.js';
import { waitUntil } from '../kit/wait.js';

const CHANNEL = 'C0USAGE';
const ALICE = 'U0USEALICE';
const BOB = 'U0USEBOB';
const CAROL = 'U0USECAROL';
const OPERATOR_TOKEN = 'operator-token-for-the-usage-test';
const n = (x: number) => x.toLocaleString('en-US');

describe('token usage: /confluence status and /admin/usage', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { OPERATOR_TOKEN, PRICE_INPUT_PER_MTOK: '1000000' } });
    h.composio.connect(composioUserOf(h, ALICE));
  });
  afterAll(() => h?.stop());

  const status = async (user: string, id: string) => {
    await h.requester.command(h.eventsUrl, {
      text: 'status',
      user_id: user,
      channel_id: CHANNEL,
      response_url: h.slack.responseUrl(id),
    });
    return String((await h.slack.waitForResponse((r) => r.id === id)).body.text);
  };
  const adminUsage = (headers: Record<string, string> = {}) =>
    fetch(`${h.baseUrl}/admin/usage`, { headers });

  it("shows the caller's own usage, and the operator the top users; nobody else's in Slack", async () => {
    expect(await status(ALICE, 'alice-before')).toContain('Claude usage this month: none yet');
    h.anthropic.script({ content: [getSpacesCall()] }, { content: [text('Two spaces.')] });
    const { eventId } = await mention(h, { user: ALICE, channel: CHANNEL, text: 'spaces?' });
    await h.state.turnEnded(eventId);
    // The tokens tallied for Alice are those the model counters saw.
    const metrics = await scrape(h.baseUrl);
    const kind = (k: string) => metrics.value('confluence_agent_model_tokens_total', { kind: k });
    const total = ['input', 'cache_read', 'cache_write', 'output'].reduce((s, k) => s + kind(k), 0);
    expect(total).toBeGreaterThan(0);

    const aliceSees = await waitUntil('usage tallied', async () => {
      const t = await status(ALICE, `alice-${Date.now()}`);
      return t.includes(`${n(total)} tokens`) ? t : null;
    });
    expect(aliceSees).toContain(`input ${n(kind('input'))}`);
    expect(aliceSees).toContain(`output ${n(kind('output'))}`);
    // One dollar per input token here: the figure is money at the configured price.
    expect(aliceSees).toMatch(/about \$[\d,]+\.\d\d/);

    // Bob asks the same, through the same route: he sees his own (none), not Alice's.
    const bobSees = await status(BOB, 'bob');
    expect(bobSees).toContain('Claude usage this month: none yet');
    expect(bobSees).not.toContain(composioUserOf(h, ALICE));
    expect(bobSees).not.toContain(n(total));

    // The operator view: only with the operator's bearer token.
    expect((await adminUsage()).status).toBe(401);
    expect(
      (await adminUsage({ authorization: 'Bearer wrong-token-of-the-same-size!!' })).status,
    ).toBe(401);
    expect((await adminUsage({ authorization: `Bearer ${h.config.slack.botToken}` })).status).toBe(
      401,
    );
    const res = await adminUsage({ authorization: `Bearer ${OPERATOR_TOKEN}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      month: string;
      users: Array<{ composioUserId: string; tokens: Record<string, number>; dollars: number }>;
    };
    expect(body.month).toBe(new Date().toISOString().slice(0, 7));
    expect(body.users.map((u) => u.composioUserId)).toEqual([composioUserOf(h, ALICE)]);
    expect(body.users[0]!.tokens.input).toBe(kind('input'));
    expect(body.users[0]!.dollars).toBeGreaterThanOrEqual(kind('input'));
    // Not on the Slack route: POST /slack/events serves Slack's signed requests only.
    const viaSlack = await fetch(`${h.eventsUrl}?admin/usage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
      body: '{}',
    });
    expect(viaSlack.status).toBe(401);
  });

  // A turn's tokens are tallied as it closes (with its closing writes) or pauses for approval:
  // every response counted once, those before the pause and those after the click alike.
  it('counts every response of a turn paused for approval once, before and after the click', async () => {
    const operator = async () => {
      const res = await adminUsage({ authorization: `Bearer ${OPERATOR_TOKEN}` });
      const body = (await res.json()) as {
        users: Array<{ composioUserId: string; tokens: Record<string, number> }>;
      };
      return body.users.find((u) => u.composioUserId === composioUserOf(h, CAROL))?.tokens;
    };
    const outputTokens = async () =>
      (await scrape(h.baseUrl)).value('confluence_agent_model_tokens_total', { kind: 'output' });
    h.composio.connect(composioUserOf(h, CAROL));
    const before = await outputTokens();
    const asked = await askToDelete(h, { user: CAROL, channel: CHANNEL, title: 'Usage Plan' });
    await h.state.turnPaused(asked.eventId);
    // Tallied at the pause: the click that resumes the turn may never come.
    const atPause = (await outputTokens()) - before;
    expect(atPause).toBeGreaterThan(0);
    expect((await waitUntil('tallied at the pause', operator))?.output).toBe(atPause);

    h.anthropic.script({ content: [text('Deleted.')] });
    await asked.click(CAROL, 'approval_approve');
    await h.state.turnEnded(asked.eventId);
    const all = (await outputTokens()) - before;
    expect(all).toBeGreaterThan(atPause);
    const tallied = await waitUntil('tallied at the close', async () => {
      const t = await operator();
      return t && (t.output ?? 0) > atPause ? t : null;
    });
    expect(tallied.output).toBe(all);
  });
});
