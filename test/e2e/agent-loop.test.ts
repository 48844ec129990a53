/** The agent loop end to end: real app, fake Anthropic, fake Composio MCP, real Redis. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerIn, composioUserOf, mention, toolResultsOf } from '../kit/agent-helpers.js';
import { guardLoopbackSockets } from '../kit/agent-network-guard.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { createPageCall, getSpacesCall, searchToolsCall } from '../kit/tool-calls.js';

const CHANNEL = 'C0AGENT';
const USER = 'U0BOB';
// Well above the delay the parallel test adds, so only the hanging call ever hits it.
const TOOL_TIMEOUT_MS = 1_500;

describe('agent loop through the real app', () => {
  let h: Harness;
  const guard = guardLoopbackSockets();
  beforeAll(async () => {
    h = await startHarness({ overrides: { toolCallTimeoutMs: TOOL_TIMEOUT_MS } });
    h.composio.connect(composioUserOf(h, USER));
  });
  afterEach(() => h.composio.setToolDelay(0));
  afterAll(async () => {
    await h?.stop();
    guard.restore();
    expect(guard.refused).toEqual([]);
  });

  it('runs a multi-step turn whose tool calls run in parallel', async () => {
    h.anthropic.script(
      {
        content: [
          text('Looking at the spaces first.'),
          getSpacesCall(),
          searchToolsCall('create a page'),
        ],
      },
      {
        content: [createPageCall('Launch Plan'), createPageCall('Runbook', { spaceId: 'ENG' })],
      },
      { content: [text('Created Launch Plan in MKT and Runbook in ENG.')] },
    );
    const before = h.anthropic.requests.length;
    const writes = () => h.composio.confluence.writeCount('CONFLUENCE_CREATE_PAGE');
    const creates = () =>
      h.composio.mcpCalls.filter((c) =>
        JSON.stringify(c.args ?? '').includes('CONFLUENCE_CREATE_PAGE'),
      );
    // Each call takes a while at the server: parallel calls are both in before either runs.
    h.composio.setToolDelay(500);
    const { eventId, threadTs } = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'create Launch Plan in MKT and Runbook in ENG',
    });
    await vi.waitFor(() => expect(creates()).toHaveLength(2), { timeout: 10_000, interval: 5 });
    expect(writes()).toBe(0);
    await h.state.turnEnded(eventId);

    expect(h.anthropic.requests.length - before).toBe(3);
    const first = toolResultsOf(h, before + 1);
    expect(first).toHaveLength(2);
    expect(JSON.stringify(first[0]!.content)).toContain('Marketing');
    expect(first.every((r) => !r.is_error)).toBe(true);
    const second = toolResultsOf(h, before + 2);
    expect(second).toHaveLength(2);
    expect(second.every((r) => !r.is_error)).toBe(true);
    expect(writes()).toBe(2);
    const titles = h.composio.confluence.site(composioUserOf(h, USER)).pages.map((p) => p.title);
    expect(titles).toEqual(expect.arrayContaining(['Launch Plan', 'Runbook']));
    await answerIn(h, CHANNEL, threadTs, 'Created Launch Plan in MKT and Runbook in ENG.');
  });

  it('hands a failing tool call to Claude as an is_error result and still answers', async () => {
    h.anthropic.script(
      { content: [getSpacesCall()] },
      { content: [text('Confluence is not answering right now; please try again.')] },
    );
    const before = h.anthropic.requests.length;
    h.composio.failNext('mcp', 500);
    const { eventId, threadTs } = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'list spaces',
    });
    await h.state.turnEnded(eventId);
    const [result] = toolResultsOf(h, before + 1);
    expect(result!.is_error).toBe(true);
    expect(JSON.stringify(result!.content)).toMatch(/COMPOSIO_MULTI_EXECUTE_TOOL failed/);
    await answerIn(h, CHANNEL, threadTs, 'not answering right now');
  });

  it('gives up on a hanging tool call at its timeout and tells Claude it may have run', async () => {
    h.anthropic.script(
      { content: [getSpacesCall()] },
      { content: [text('The lookup timed out.')] },
    );
    const before = h.anthropic.requests.length;
    h.composio.setToolDelay(TOOL_TIMEOUT_MS * 4);
    const started = Date.now();
    const { eventId, threadTs } = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'spaces?',
    });
    await h.state.turnEnded(eventId);
    expect(Date.now() - started).toBeLessThan(TOOL_TIMEOUT_MS * 4);
    const [result] = toolResultsOf(h, before + 1);
    expect(result!.is_error).toBe(true);
    expect(JSON.stringify(result!.content)).toMatch(
      /timed out after 1.5 s.*may still have taken effect/,
    );
    await answerIn(h, CHANNEL, threadTs, 'The lookup timed out.');
  });
});
