/**
 * app_home_opened (src/slack/listeners/events/app-home-opened.ts): the Home tab shows the
 * connection with Connect/Disconnect, also when Composio is slow (the event's 200 does not wait
 * for it) or failing; the Messages tab greets once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TTL } from '../../../../src/store/keys.js';
import { type Harness, startHarness } from '../../../kit/harness.js';
import {
  homeOpened,
  openHome as openHomeOf,
  slowComposioOnce,
} from '../../../kit/slack-helpers.js';

/** Every Composio REST answer and MCP POST takes this long until the first one has finished. */
const SLOW_MS = 1_500;

const USER = 'U0HOMEUSER';
const DM = 'D0HOMEUSER';

describe('App Home', () => {
  let h: Harness;
  const unsubscribe: Array<() => void> = [];
  const composioUser = (user = USER) => `slack-${h.slack.teamId}-${user}`;
  /** Opens the Home tab; resolves with the view published in answer. */
  async function openHome() {
    const { res, view } = await openHomeOf(h, USER, DM);
    expect(res.status).toBe(200);
    return view;
  }
  const accessories = (view: { blocks: Array<{ accessory?: Record<string, unknown> }> }) =>
    view.blocks.flatMap((b) => (b.accessory ? [b.accessory] : []));
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => {
    for (const off of unsubscribe.splice(0)) off();
    h.composio.setLatency({ rest: 0, mcp: 0 });
  });
  afterAll(() => h?.stop());

  it('shows "not connected" with a Connect button, then "connected" with Disconnect', async () => {
    const before = await openHome();
    expect(before.type).toBe('home');
    const text = JSON.stringify(before.blocks);
    expect(text).toContain('*Confluence*: not connected');
    expect(text).toContain(`Your Composio user id: \`${composioUser()}\``);
    expect(accessories(before)).toEqual([
      expect.objectContaining({ action_id: 'home_connect', value: 'confluence' }),
    ]);

    h.composio.connect(composioUser());
    const after = await openHome();
    expect(JSON.stringify(after.blocks)).toContain('*Confluence*: connected');
    expect(accessories(after)).toEqual([
      expect.objectContaining({
        action_id: 'disconnect_confirm',
        value: 'confluence',
        style: 'danger',
      }),
    ]);
    // The Home tab never holds a connect link.
    expect(JSON.stringify(after)).not.toContain('composio.dev/link');
  });

  it('greets on the first visit to the Messages tab only', async () => {
    expect((await homeOpened(h, USER, 'messages', DM)).status).toBe(200);
    const greeting = await h.slack.waitFor('chat.postMessage', (c) => c.args.channel === DM);
    expect(greeting.args.text).toContain("Hi! I'm Confluence Agent");
    expect(JSON.stringify(greeting.args.blocks)).toContain('Create a page titled');

    const again = await homeOpened(h, USER, 'messages', DM);
    expect(again.status).toBe(200);
    await h.state.eventHandled(again.eventId);
    expect(h.slack.messages(DM).filter((m) => m.bot_id)).toHaveLength(1);
    // Remembered for a year: a greeting is said once a year at most.
    const greeted = h.state.keys.greeted(h.slack.teamId, USER);
    expect(await h.state.pttl(greeted)).toBeGreaterThan((TTL.greeted - 60) * 1000);
  });

  it('slow Composio: the event gets its 200 before the lookup ends, then the Home shows the real status', async () => {
    const user = 'U0HOMESLOW';
    h.composio.connect(composioUser(user));
    const slow = slowComposioOnce(h, SLOW_MS);
    unsubscribe.push(slow.stop);

    const { res, view } = await openHomeOf(h, user);
    expect(res.status).toBe(200);
    expect(slow.finished()).toBe(0);
    expect(h.slack.callsTo('views.publish').filter((c) => c.args.user_id === user)).toEqual([]);

    const home = await view;
    expect(slow.finished()).toBeGreaterThan(0);
    expect(JSON.stringify(home.blocks)).toContain('*Confluence*: connected');
    expect(JSON.stringify(home.blocks)).toContain('disconnect_confirm');
  });

  it('failing Composio: the Home says the status could not be checked; reopened, it shows it', async () => {
    const user = 'U0HOMEFAIL';
    h.composio.failNext('rest', 503);
    const { res, view } = await openHomeOf(h, user);
    expect(res.status).toBe(200);
    const home = await view;
    const text = JSON.stringify(home.blocks);
    expect(text).toContain("*Confluence*: couldn't check the connection right now");
    expect(text).toContain("I couldn't check your connection status right now");
    expect(text).toContain('open this tab again in a minute');
    // No button acts on a state that is not known, and the raw error never shows.
    expect(text).not.toContain('home_connect');
    expect(text).not.toContain('disconnect_confirm');
    expect(text).not.toContain('Injected failure');

    const again = await openHomeOf(h, user);
    expect(JSON.stringify((await again.view).blocks)).toContain('*Confluence*: not connected');
  });
});
