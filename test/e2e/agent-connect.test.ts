/** A user without a Confluence connection gets the connect link privately, never in the thread. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_PLACEHOLDER } from '../../src/agent/connection-links.js';
import { answerIn, composioUserOf, mention, toolResultsOf } from '../kit/agent-helpers.js';
import { guardLoopbackSockets } from '../kit/agent-network-guard.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { getSpacesCall, manageConnectionsCall } from '../kit/tool-calls.js';

const CHANNEL = 'C0SHARED';
const USER = 'U0FRANK';

describe('connecting Confluence from a shared thread', () => {
  let h: Harness;
  const guard = guardLoopbackSockets();
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
    guard.restore();
    expect(guard.refused).toEqual([]);
  });

  it('sends the link only to the requester, ephemerally; the thread and Claude never see it', async () => {
    h.anthropic.script(
      {
        content: [getSpacesCall()],
      },
      { content: [manageConnectionsCall()] },
      {
        content: [
          text(
            'You need to connect Confluence first: I sent you a private link. Ask me again after.',
          ),
        ],
      },
    );
    const { eventId, threadTs } = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'which spaces can I see?',
    });
    await h.state.turnEnded(eventId);

    const links = h.composio.links().filter((l) => l.userId === composioUserOf(h, USER));
    expect(links).toHaveLength(1);
    const url = links[0]!.redirectUrl;
    expect(url).toMatch(/^https:\/\/connect\.composio\.dev\/link\/lk_/);

    // Privately, to the requester only.
    const ephemerals = h.slack.ephemerals.filter((e) => JSON.stringify(e).includes(url));
    expect(ephemerals).toHaveLength(1);
    expect(ephemerals[0]).toMatchObject({ channel: CHANNEL, user: USER, thread_ts: threadTs });

    // Nowhere else: no other Slack call carries a connect link, and the thread has none.
    const elsewhere = h.slack.calls.filter(
      (c) =>
        c.method !== 'chat.postEphemeral' && JSON.stringify(c.args).includes('composio.dev/link'),
    );
    expect(elsewhere).toEqual([]);
    const thread = await answerIn(h, CHANNEL, threadTs, 'I sent you a private link');
    expect(thread).not.toContain('composio.dev/link');

    // Claude saw the failed call and a placeholder instead of the link.
    expect(JSON.stringify(toolResultsOf(h, 1))).toMatch(/No active connection/);
    const seen = JSON.stringify(h.anthropic.requests.map((r) => r.body.messages));
    expect(seen).not.toContain(url);
    expect(seen).not.toContain('composio.dev/link');
    expect(JSON.stringify(toolResultsOf(h, 2))).toContain(LINK_PLACEHOLDER);
    // Nothing ran against Confluence as this user.
    expect(h.composio.confluence.writeCount()).toBe(0);
  });
});
