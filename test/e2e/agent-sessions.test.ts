/** Tool Router sessions and the cached prompt prefix across turns, through the real app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerIn, composioUserOf, mention, toolResultsOf } from '../kit/agent-helpers.js';
import { guardLoopbackSockets } from '../kit/agent-network-guard.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { getSpacesCall } from '../kit/tool-calls.js';

const CHANNEL = 'C0SESS';

describe('sessions and prompt caching across turns', () => {
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

  const sessionsOf = (user: string) =>
    h.composio.sessions().filter((s) => s.userId === composioUserOf(h, user));

  it('serves three turns of one user from one session, one MCP initialize and one cached prefix', async () => {
    const user = 'U0DAVE';
    h.composio.connect(composioUserOf(h, user));
    const firstRequests: number[] = [];
    let threadTs: string | undefined;
    for (const ask of ['list spaces', 'list them again', 'and once more']) {
      firstRequests.push(h.anthropic.requests.length);
      h.anthropic.script({ content: [getSpacesCall()] }, { content: [text(`Done: ${ask}.`)] });
      const turn = await mention(h, { user, channel: CHANNEL, text: ask, threadTs });
      threadTs ??= turn.threadTs;
      await answerIn(h, CHANNEL, turn.threadTs, `Done: ${ask}.`);
    }

    const ids = sessionsOf(user).map((s) => s.id);
    expect(ids).toHaveLength(1);
    const sessionCalls = h.composio.mcpCalls.filter((c) => ids.includes(c.sessionId));
    expect(sessionCalls.filter((c) => c.method === 'initialize')).toHaveLength(1);
    expect(sessionCalls.filter((c) => c.method === 'tools/list')).toHaveLength(1);
    expect(sessionCalls.filter((c) => c.method === 'tools/call')).toHaveLength(3);

    // The stable prefix: byte-identical in every request of every turn, with cache breakpoints.
    const bodies = h.anthropic.requests.slice(firstRequests[0]).map((r) => r.body);
    expect(bodies).toHaveLength(6);
    const prefix = (b: (typeof bodies)[number]) => JSON.stringify([b.tools, b.system[0]]);
    for (const body of bodies) expect(prefix(body)).toBe(prefix(bodies[0]));
    const { tools, system } = bodies[0];
    expect(tools.length).toBeGreaterThan(1);
    expect(tools.at(-1).cache_control).toEqual({ type: 'ephemeral' });
    expect(tools.slice(0, -1).some((t: { cache_control?: unknown }) => t.cache_control)).toBe(
      false,
    );
    expect(system[0].cache_control).toEqual({ type: 'ephemeral' });
    // Per-turn facts sit after the breakpoint, never inside the cached part.
    expect(system[0].text).not.toContain(user);
    expect(JSON.stringify(system.slice(1))).toContain(user);
  });

  it('replaces a session that expired between two turns, once, and answers normally', async () => {
    const user = 'U0ERIN';
    h.composio.connect(composioUserOf(h, user));
    h.anthropic.script(
      { content: [getSpacesCall()] },
      { content: [text('You have MKT and ENG.')] },
    );
    const first = await mention(h, { user, channel: CHANNEL, text: 'which spaces?' });
    await answerIn(h, CHANNEL, first.threadTs, 'You have MKT and ENG.');
    const [expired] = sessionsOf(user);
    h.composio.expireSession(expired!.id);

    const before = h.anthropic.requests.length;
    h.anthropic.script({ content: [getSpacesCall()] }, { content: [text('Still MKT and ENG.')] });
    await mention(h, {
      user,
      channel: CHANNEL,
      text: 'and now?',
      threadTs: first.threadTs,
    });
    const thread = await answerIn(h, CHANNEL, first.threadTs, 'Still MKT and ENG.');

    const sessions = sessionsOf(user);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]!.id).toBe(expired!.id);
    const [result] = toolResultsOf(h, before + 1);
    expect(result!.is_error).toBeUndefined();
    expect(JSON.stringify(result!.content)).toContain('Marketing');
    expect(thread).not.toMatch(/couldn't reach|went wrong/);
  });
});
