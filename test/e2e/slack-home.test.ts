/** App Home: the Home tab shows the connection with Connect/Disconnect; Messages greets once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TTL } from '../../src/store/keys.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { homeOpened } from './slack-helpers.js';

const USER = 'U0HOMEUSER';
const DM = 'D0HOMEUSER';

describe('App Home', () => {
  let h: Harness;
  const composioUser = () => `slack-${h.slack.teamId}-${USER}`;
  /** Opens the Home tab; resolves with the view published in answer. */
  async function openHome() {
    const published = h.slack.callsTo('views.publish').length;
    expect((await homeOpened(h, USER, 'home', DM)).status).toBe(200);
    const call = await h.slack.waitFor(
      'views.publish',
      (c) => h.slack.callsTo('views.publish').indexOf(c) >= published,
    );
    expect(call.args.user_id).toBe(USER);
    expect(call.result?.ok).toBe(true);
    return call.args.view;
  }
  const accessories = (view: { blocks: Array<{ accessory?: Record<string, unknown> }> }) =>
    view.blocks.flatMap((b) => (b.accessory ? [b.accessory] : []));
  beforeAll(async () => {
    h = await startHarness();
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
});
