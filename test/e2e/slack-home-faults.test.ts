/**
 * App Home with a slow or failing Composio: the app_home_opened event is acknowledged at once
 * (its HTTP 200 does not wait on Composio), and a failure shows up in the Home or a DM instead
 * of silence.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../kit/harness.js';
import { homeOpened, slowComposioOnce } from './slack-helpers.js';

/** Every Composio REST answer and MCP POST takes this long until the first one has finished. */
const SLOW_MS = 1_500;

// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are free-form JSON.
type Json = Record<string, any>;

describe('App Home when Composio is slow or failing', () => {
  let h: Harness;
  const unsubscribe: Array<() => void> = [];
  const composioUser = (user: string) => `slack-${h.slack.teamId}-${user}`;
  const dmOf = (user: string) => `D${user.slice(1)}`;

  /** Sends app_home_opened (Home tab); resolves with its HTTP status and the next published view. */
  async function openHome(user: string) {
    const published = h.slack.callsTo('views.publish').length;
    const res = await homeOpened(h, user, 'home', dmOf(user));
    const view = h.slack
      .waitFor(
        'views.publish',
        (c) => c.args.user_id === user && h.slack.callsTo('views.publish').indexOf(c) >= published,
      )
      .then((c) => {
        expect(c.result?.ok).toBe(true);
        return c.args.view as Json;
      });
    return { res, view };
  }

  /** A `block_actions` click on a button of the Home view published for `user`. */
  function homeButtonClick(user: string, actionId: string, value: string): Json {
    const home = h.slack
      .callsTo('views.publish')
      .filter((c) => c.args.user_id === user)
      .at(-1)!;
    return {
      type: 'block_actions',
      token: 'fake-verification-token',
      api_app_id: 'A0FAKEAPP',
      team: { id: h.slack.teamId, domain: 'fake-workspace' },
      user: {
        id: user,
        username: user.toLowerCase(),
        name: user.toLowerCase(),
        team_id: h.slack.teamId,
      },
      container: { type: 'view', view_id: home.result!.view.id },
      trigger_id: `${Date.now()}.1.home`,
      view: home.result!.view,
      state: { values: {} },
      is_enterprise_install: false,
      enterprise: null,
      actions: [
        {
          type: 'button',
          action_id: actionId,
          block_id: 'b',
          value,
          text: { type: 'plain_text', text: actionId },
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
  }

  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => {
    for (const off of unsubscribe.splice(0)) off();
    h.composio.setLatency({ rest: 0, mcp: 0 });
  });
  afterAll(() => h?.stop());

  it('slow Composio: the event gets its 200 before the lookup ends, then the Home shows the real status', async () => {
    const user = 'U0HOMESLOW';
    h.composio.connect(composioUser(user));
    const slow = slowComposioOnce(h, SLOW_MS);
    unsubscribe.push(slow.stop);

    const { res, view } = await openHome(user);
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
    const { res, view } = await openHome(user);
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

    const again = await openHome(user);
    expect(JSON.stringify((await again.view).blocks)).toContain('*Confluence*: not connected');
  });

  it('Connect from the Home with Composio failing: a clear DM, no raw error', async () => {
    const user = 'U0HOMECONNECT';
    expect((await (await openHome(user)).view).type).toBe('home');
    // Both the stored session's lookup and the new session it falls back to fail.
    h.composio.failNext('rest', 503);
    h.composio.failNext('rest', 503);
    const res = await h.requester.interaction(
      h.eventsUrl,
      homeButtonClick(user, 'home_connect', 'confluence'),
    );
    expect(res.status).toBe(200);
    const dm = await h.slack.waitFor('chat.postMessage', (c) => c.args.channel === user);
    expect(dm.args.text).toBe(
      "I couldn't get a Confluence connect link just now. Please click *Connect Confluence* on my Home tab again in a minute.",
    );
    expect(JSON.stringify(dm.args)).not.toContain('Injected failure');
  });

  it('Disconnect from the Home with Composio failing: the Home is published again and says so', async () => {
    const user = 'U0HOMEDISC';
    h.composio.connect(composioUser(user));
    const first = await (await openHome(user)).view;
    expect(JSON.stringify(first.blocks)).toContain('disconnect_confirm');
    const published = h.slack.callsTo('views.publish').length;
    h.composio.failNext('rest', 503);
    const res = await h.requester.interaction(
      h.eventsUrl,
      homeButtonClick(user, 'disconnect_confirm', 'confluence'),
    );
    expect(res.status).toBe(200);
    const call = await h.slack.waitFor(
      'views.publish',
      (c) => c.args.user_id === user && h.slack.callsTo('views.publish').indexOf(c) >= published,
    );
    const text = JSON.stringify(call.args.view.blocks);
    expect(text).toContain(
      "I couldn't disconnect Confluence just now. Please try again in a minute.",
    );
    expect(text).toContain('*Confluence*: connected');
    expect(h.composio.isConnected(composioUser(user))).toBe(true);
  });
});
