/**
 * The Connect and Disconnect buttons (src/slack/listeners/actions/connections.ts): on the Home
 * tab and in the private reply to `/confluence disconnect`; with Composio failing, a clear
 * answer (a DM, the Home published again, or a private reply) and nothing removed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodedError, userMessageFor } from '../../../../src/errors.js';
import { type Harness, startHarness } from '../../../kit/harness.js';
import { ephemeralButtonClick, openHome } from '../../../kit/slack-helpers.js';

const CHANNEL = 'C0CONNECT';
const TOOLS_UNAVAILABLE = userMessageFor(new CodedError('tools_unavailable', 'expected'));

// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are free-form JSON.
type Json = Record<string, any>;

describe('Connect and Disconnect buttons', () => {
  let h: Harness;
  const composioUser = (user: string) => `slack-${h.slack.teamId}-${user}`;

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
  afterAll(() => h?.stop());

  it('Connect from the Home with Composio failing: a clear DM, no raw error', async () => {
    const user = 'U0HOMECONNECT';
    expect((await (await openHome(h, user)).view).type).toBe('home');
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
    const first = await (await openHome(h, user)).view;
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

  /** Clicks the confirm button of the private `/confluence disconnect` reply as `user`. */
  const confirmDisconnect = (user: string, responseId: string) =>
    h.requester.interaction(
      h.eventsUrl,
      ephemeralButtonClick(h, {
        user,
        channel: CHANNEL,
        actionId: 'disconnect_confirm',
        value: 'confluence',
        responseUrl: h.slack.responseUrl(responseId),
      }),
    );
  const response = (id: string) => h.slack.waitForResponse((r) => r.id === id);

  it('Disconnect confirmed from the /confluence reply: removes the account and says so', async () => {
    const user = 'U0CMDDISC';
    h.composio.connect(composioUser(user));
    expect((await confirmDisconnect(user, 'disconnect-click')).status).toBe(200);
    expect((await response('disconnect-click')).body).toMatchObject({
      replace_original: true,
      text: 'Your confluence connection was removed.',
    });
    expect(h.composio.isConnected(composioUser(user))).toBe(false);
  });

  it('Disconnect confirmed with Composio failing: says Composio could not be reached, removing nothing', async () => {
    const user = 'U0DOWNDISCONNECT';
    h.composio.connect(composioUser(user));
    h.composio.failNext('rest', 502);
    expect((await confirmDisconnect(user, 'down-disconnect')).status).toBe(200);
    const answer = (await response('down-disconnect')).body;
    expect(answer).toMatchObject({ replace_original: false, text: TOOLS_UNAVAILABLE });
    expect(h.composio.isConnected(composioUser(user))).toBe(true);
  });
});
