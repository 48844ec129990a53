/** `/confluence` connection subcommands while Composio's REST API fails: a clear, private answer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodedError, userMessageFor } from '../../src/errors.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { ephemeralButtonClick } from './slack-helpers.js';

const CHANNEL = 'C0CMDDOWN';
const TOOLS_UNAVAILABLE = userMessageFor(new CodedError('tools_unavailable', 'expected'));

describe('/confluence with Composio failing', () => {
  let h: Harness;
  const command = (user: string, commandText: string, responseId: string) =>
    h.requester.command(h.eventsUrl, {
      text: commandText,
      user_id: user,
      channel_id: CHANNEL,
      response_url: h.slack.responseUrl(responseId),
    });
  const response = (id: string) => h.slack.waitForResponse((r) => r.id === id);
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it.each([
    ['status', 'U0DOWNSTATUS'],
    ['connect', 'U0DOWNCONNECT'],
  ])('%s: answers privately that Composio could not be reached', async (sub, user) => {
    h.composio.failNext('rest', 503);
    const res = await command(user, sub, `down-${sub}`);
    expect(res.status).toBe(200);
    const answer = (await response(`down-${sub}`)).body;
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: TOOLS_UNAVAILABLE });
  });

  it('disconnect: the confirm button says Composio could not be reached, removing nothing', async () => {
    const user = 'U0DOWNDISCONNECT';
    const composioUser = `slack-${h.slack.teamId}-${user}`;
    h.composio.connect(composioUser);
    h.composio.failNext('rest', 502);
    const click = await h.requester.interaction(
      h.eventsUrl,
      ephemeralButtonClick(h, {
        user,
        channel: CHANNEL,
        actionId: 'disconnect_confirm',
        value: 'confluence',
        responseUrl: h.slack.responseUrl('down-disconnect'),
      }),
    );
    expect(click.status).toBe(200);
    const answer = (await response('down-disconnect')).body;
    expect(answer).toMatchObject({ replace_original: false, text: TOOLS_UNAVAILABLE });
    expect(h.composio.isConnected(composioUser)).toBe(true);
  });
});
