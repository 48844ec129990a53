/** AGENT_MAX_TURNS caps the model calls of one request, and the user hears why it stopped. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerIn, composioUserOf, mention } from '../kit/agent-helpers.js';
import { guardLoopbackSockets } from '../kit/agent-network-guard.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { searchToolsCall } from '../kit/tool-calls.js';

const CHANNEL = 'C0CAP';
const USER = 'U0CAROL';
const search = () => searchToolsCall('find pages');

describe('AGENT_MAX_TURNS', () => {
  let h: Harness;
  const guard = guardLoopbackSockets();
  beforeAll(async () => {
    h = await startHarness({ env: { AGENT_MAX_TURNS: '2' } });
    h.composio.connect(composioUserOf(h, USER));
  });
  afterAll(async () => {
    await h?.stop();
    guard.restore();
    expect(guard.refused).toEqual([]);
  });

  it('stops after two model calls with an honest message, and the next turn works', async () => {
    // A model that would keep calling tools for ever.
    h.anthropic.respondWith(() => ({ content: [search()] }));
    const { eventId, threadTs } = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'find every page about launches',
    });
    await h.state.turnEnded(eventId);
    expect(h.anthropic.requests).toHaveLength(2);
    await answerIn(h, CHANNEL, threadTs, 'more steps than I am allowed');
    // Both calls' tools ran: the cap ends the turn after the last result, not in the middle.
    const searches = h.composio.mcpCalls.filter((c) => c.tool === 'COMPOSIO_SEARCH_TOOLS');
    expect(searches).toHaveLength(2);

    // The stored history is closed properly: a follow-up in the thread is a valid request.
    const next = await mention(h, { user: USER, channel: CHANNEL, text: 'continue', threadTs });
    await h.state.turnEnded(next.eventId);
    const capped = () =>
      h.slack
        .messages(CHANNEL, threadTs)
        .filter((m) => m.bot_id && !m.streaming && JSON.stringify(m).includes('more steps'));
    await vi.waitFor(() => expect(capped()).toHaveLength(2), { timeout: 10_000, interval: 10 });
    expect(h.anthropic.requests).toHaveLength(4);
    const roles = (h.anthropic.requests[2]!.body.messages as Array<{ role: string }>).map(
      (m) => m.role,
    );
    expect(roles.at(-2)).toBe('assistant');
    expect(roles.at(-1)).toBe('user');
  });
});
