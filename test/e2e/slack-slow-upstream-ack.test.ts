/**
 * HTTP mode with a slow Composio: commands, the shortcut and buttons get their 200 at once
 * (Slack allows 3 s), and the user still gets the same answer once Composio replies.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppResponse } from '../kit/fake-slack/signer.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { ephemeralButtonClick, messageShortcut, slowComposioOnce } from '../kit/slack-helpers.js';

const CHANNEL = 'C0SLOWACK';
const ALICE = 'U0SLOWALICE';
const BOB = 'U0SLOWBOB';
/** Every Composio REST answer and MCP POST takes this long until the first one has finished. */
const SLOW_MS = 1_500;

describe('slow Composio: the HTTP 200 does not wait for work done after ack()', () => {
  let h: Harness;
  const unsubscribe: Array<() => void> = [];
  const composioUser = (user: string) => `slack-${h.slack.teamId}-${user}`;

  /**
   * Sends one request while Composio is slow; returns its HTTP response, how many Composio
   * exchanges the request caused had finished when that response came back, and a counter
   * of those finished so far. Once the first one has finished, Composio is fast again.
   */
  async function sendWhileComposioSlow(send: () => Promise<AppResponse>) {
    const slow = slowComposioOnce(h, SLOW_MS);
    unsubscribe.push(slow.stop);
    const res = await send();
    return { res, finishedAtResponse: slow.finished(), finished: slow.finished };
  }

  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => {
    for (const off of unsubscribe.splice(0)) off();
    h.composio.setLatency({ rest: 0, mcp: 0 });
  });
  afterAll(() => h?.stop());

  it('/confluence status: 200 before the Composio lookup ends, then the same private answer', async () => {
    const { res, finishedAtResponse, finished } = await sendWhileComposioSlow(() =>
      h.requester.command(h.eventsUrl, {
        text: 'status',
        user_id: ALICE,
        channel_id: CHANNEL,
        response_url: h.slack.responseUrl('slow-status'),
      }),
    );
    expect(res.status).toBe(200);
    expect(finishedAtResponse).toBe(0);
    expect(h.slack.responses.filter((r) => r.id === 'slow-status')).toEqual([]);

    const answer = await h.slack.waitForResponse((r) => r.id === 'slow-status');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toBe(
      `Your Composio user id: \`${composioUser(ALICE)}\`\n• confluence: not connected — use \`/confluence connect\`\n• Claude usage this month: none yet`,
    );
    expect(finished()).toBeGreaterThan(0);
  });

  it("message shortcut: 200 before Composio answers, then the loading modal and the user's form", async () => {
    h.composio.connect(composioUser(BOB));
    const payload = messageShortcut(h, {
      user: BOB,
      callbackId: 'summarise_thread_to_confluence',
      channel: CHANNEL,
      message: { user: ALICE, ts: '1700000000.000100', text: 'Launch retro notes' },
    });
    const { res, finishedAtResponse, finished } = await sendWhileComposioSlow(() =>
      h.requester.interaction(h.eventsUrl, payload),
    );
    expect(res.status).toBe(200);
    expect(finishedAtResponse).toBe(0);
    expect(h.slack.callsTo('views.update')).toEqual([]);

    const opened = await h.slack.waitFor(
      'views.open',
      (c) => c.args.trigger_id === payload.trigger_id,
    );
    expect(JSON.stringify(opened.args.view.blocks)).toContain(
      'Checking your Confluence connection',
    );
    const viewId = opened.result!.view.id;
    const update = await h.slack.waitFor('views.update', (c) => c.args.view_id === viewId);
    const form = update.result!.view;
    const space = form.blocks.find((b: { block_id?: string }) => b.block_id === 'space');
    expect(space.element.options.map((o: { value: string }) => o.value)).toEqual(['MKT', 'ENG']);
    const title = form.blocks.find((b: { block_id?: string }) => b.block_id === 'title');
    expect(title.element.initial_value).toMatch(/^Launch retro notes — \d{4}-\d{2}-\d{2}$/);
    expect(finished()).toBeGreaterThan(0);
  });

  it('disconnect button: 200 before Composio removes the account, then the same reply', async () => {
    h.composio.connect(composioUser(ALICE));
    const { res, finishedAtResponse, finished } = await sendWhileComposioSlow(() =>
      h.requester.interaction(
        h.eventsUrl,
        ephemeralButtonClick(h, {
          user: ALICE,
          channel: CHANNEL,
          actionId: 'disconnect_confirm',
          value: 'confluence',
          responseUrl: h.slack.responseUrl('slow-disconnect'),
        }),
      ),
    );
    expect(res.status).toBe(200);
    expect(finishedAtResponse).toBe(0);
    expect(h.composio.isConnected(composioUser(ALICE))).toBe(true);

    const done = await h.slack.waitForResponse((r) => r.id === 'slow-disconnect');
    expect(done.body).toMatchObject({
      replace_original: true,
      text: 'Your confluence connection was removed.',
    });
    expect(h.composio.isConnected(composioUser(ALICE))).toBe(false);
    expect(finished()).toBeGreaterThan(0);
  });

  it('a stop lets a reply already on its way after its ack finish', async () => {
    const { res } = await sendWhileComposioSlow(() =>
      h.requester.command(h.eventsUrl, {
        text: 'status',
        user_id: BOB,
        channel_id: CHANNEL,
        response_url: h.slack.responseUrl('slow-status-stop'),
      }),
    );
    expect(res.status).toBe(200);
    expect(h.slack.responses.filter((r) => r.id === 'slow-status-stop')).toEqual([]);
    await h.app.stop({ drainMs: 5_000 });
    expect(h.slack.responses.filter((r) => r.id === 'slow-status-stop')).toHaveLength(1);
  });
});
