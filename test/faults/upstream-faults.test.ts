/** SPEC §8 Anthropic and MCP faults: retried with backoff, else a clear reply; never silence. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composioUserOf, mention, messagesOf, toolResultsOf } from '../kit/agent-helpers.js';
import { type ModelStep, text } from '../kit/fake-anthropic/index.js';
import type { ServedExchange } from '../kit/fake-served.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { createPageCall, getSpacesCall } from '../kit/tool-calls.js';
import { captureProcessFaults, expectNoSecrets, secretsOf } from './fault-kit.js';

const CHANNEL = 'C0UPSTREAM';

describe('upstream faults', () => {
  let h: Harness;
  const faults = captureProcessFaults();
  const served: ServedExchange[] = [];
  beforeAll(async () => {
    // Tool calls slower than a second become error results (production: 60 s).
    h = await startHarness({ overrides: { toolCallTimeoutMs: 1_000 } });
    h.anthropic.onServed((e) => served.push(e));
  });
  afterAll(async () => {
    await h?.stop();
    faults.stop();
    expect(faults.faults).toEqual([]);
    expectNoSecrets(h.logs, secretsOf(h));
  });

  /** A connected user of its own, so each test starts with a fresh session. */
  let users = 0;
  const newUser = () => {
    users += 1;
    const user = `U0UP${users}`;
    h.composio.connect(composioUserOf(h, user));
    return user;
  };

  /** Scripts the model, sends a mention, and waits until its turn has ended and replied. */
  async function ask(user: string, words: string, ...steps: ModelStep[]) {
    h.anthropic.script(...steps);
    const before = h.anthropic.requests.length;
    const turn = await mention(h, { user, channel: CHANNEL, text: words });
    await h.state.turnEnded(turn.eventId, 15_000);
    const replies = () => h.botReplies(CHANNEL, turn.threadTs);
    await h.slack.waitForCall(() => replies().length > 0 && replies().every(Boolean), 5_000);
    return { ...turn, before, replies };
  }

  it('retries 429, 529 and 500 with backoff, then answers', async () => {
    const from = served.length;
    const turn = await ask(
      newUser(),
      'list my spaces',
      { error: { status: 429, retryAfterMs: 300 } },
      { error: { status: 529, retryAfterMs: 10 } },
      { error: { status: 500, retryAfterMs: 10 } },
      { content: [text('Made it through.')] },
    );
    expect(turn.replies()).toEqual(['Made it through.']);
    expect(h.anthropic.requests.length - turn.before).toBe(4);
    // The retry-after the API asked for was honoured before the second attempt.
    const attempts = served.slice(from).map((e) => e.startMs);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(290);
  });

  it('gives up on a persistent 529 after a bounded number of retries, with a clear reply', async () => {
    const overloaded: ModelStep = { error: { status: 529, retryAfterMs: 10 } };
    const turn = await ask(newUser(), 'list my spaces please', ...Array(4).fill(overloaded));
    expect(turn.replies()).toHaveLength(1);
    expect(turn.replies()[0]).toMatch(/Claude is busy or unavailable.*try again/);
    expect(h.anthropic.requests.length - turn.before).toBe(4);
  });

  it('answers clearly when the stream breaks in the middle of an answer', async () => {
    const turn = await ask(newUser(), 'write me a long story', {
      streamErrorAfter: 4,
      content: [text('Once upon a time, there was a page that never finished')],
    });
    expect(turn.replies()).toHaveLength(1);
    expect(turn.replies()[0]).toMatch(/try again/);
    // A broken stream is not retried blindly: one request.
    expect(h.anthropic.requests.length - turn.before).toBe(1);
  });

  it('answers clearly when Composio fails to create the session, and recovers on the next turn', async () => {
    const user = newUser();
    h.composio.failNext('rest', 500);
    const failed = await ask(user, 'list spaces');
    expect(failed.replies()).toEqual([
      expect.stringMatching(/couldn't reach Confluence.*try again/),
    ]);
    expect(h.anthropic.requests.length - failed.before).toBe(0);

    const next = await ask(user, 'list spaces now', { content: [text('MKT and ENG.')] });
    expect(next.replies()).toEqual(['MKT and ENG.']);
  });

  it('turns an MCP call that times out into an error result for Claude', async () => {
    h.composio.setToolDelay(2_500);
    try {
      const turn = await ask(
        newUser(),
        'list spaces slowly',
        { content: [getSpacesCall()] },
        { content: [text('Confluence is slow right now.')] },
      );
      expect(turn.replies()).toEqual(['Confluence is slow right now.']);
      const [result] = toolResultsOf(h, turn.before + 1);
      expect(result!.is_error).toBe(true);
      expect(JSON.stringify(result!.content)).toMatch(/timed out/);
    } finally {
      h.composio.setToolDelay(0);
    }
  });

  it('turns a failed MCP request into an error result for Claude', async () => {
    const user = newUser();
    await ask(user, 'warm up', { content: [text('Hello.')] });
    h.composio.failNext('mcp', 502);
    const turn = await ask(
      user,
      'list spaces again',
      { content: [getSpacesCall()] },
      { content: [text('The tool failed; try later.')] },
    );
    expect(turn.replies()).toEqual(['The tool failed; try later.']);
    const [result] = toolResultsOf(h, turn.before + 1);
    expect(result!.is_error).toBe(true);
  });

  it('reconnects once, transparently, when the session expires in the middle of a turn', async () => {
    const user = newUser();
    const composioUser = composioUserOf(h, user);
    const sessions = () => h.composio.sessions().filter((s) => s.userId === composioUser);
    // After the first tool call, the session expires before the second one.
    h.anthropic.script({ content: [getSpacesCall()] });
    const expireAt = h.anthropic.requests.length + 1;
    h.anthropic.respondWith((_req, index) => {
      if (index !== expireAt) return { content: [text('Both calls worked.')] };
      for (const s of sessions()) h.composio.expireSession(s.id);
      return { content: [getSpacesCall()] };
    });
    const turn = await ask(user, 'list spaces twice');
    expect(turn.replies()).toEqual(['Both calls worked.']);
    // One new session: the expired one was recreated once, not per call.
    expect(sessions()).toHaveLength(2);
    for (const i of [1, 2]) {
      const [result] = toolResultsOf(h, turn.before + i);
      expect(result!.is_error).toBeUndefined();
      expect(JSON.stringify(result!.content)).toContain('Marketing');
    }
    h.anthropic.respondWith(() => ({ content: [text('UNSCRIPTED MODEL CALL')] }));
  });

  it('gives Claude an error result when the expired session cannot be recreated', async () => {
    const user = newUser();
    const composioUser = composioUserOf(h, user);
    await ask(user, 'warm up', { content: [text('Hello.')] });
    for (const s of h.composio.sessions().filter((x) => x.userId === composioUser))
      h.composio.expireSession(s.id);
    h.composio.failNext('rest', 500);
    const turn = await ask(
      user,
      'list spaces once more',
      { content: [getSpacesCall()] },
      { content: [text('Composio is having trouble.')] },
    );
    expect(turn.replies()).toEqual(['Composio is having trouble.']);
    const [result] = toolResultsOf(h, turn.before + 1);
    expect(result!.is_error).toBe(true);
  });

  it('keeps what a turn did before it failed: the message names it, the next turn knows it', async () => {
    const user = newUser();
    const overloaded: ModelStep = { error: { status: 529, retryAfterMs: 10 } };
    const failed = await ask(
      user,
      'create the launch plan page',
      { content: [createPageCall('Launch Plan')] },
      ...Array(4).fill(overloaded),
    );
    expect(failed.replies()).toHaveLength(1);
    expect(failed.replies()[0]).toMatch(
      /^I created page .?Launch Plan.?, then had to stop\. Claude is busy or unavailable/,
    );
    expect(h.composio.confluence.writeCount('CONFLUENCE_CREATE_PAGE')).toBe(1);

    h.anthropic.script({ content: [text('You created Launch Plan.')] });
    const before = h.anthropic.requests.length;
    const next = await mention(h, {
      user,
      channel: CHANNEL,
      text: 'what did you create?',
      threadTs: failed.threadTs,
    });
    await h.state.turnEnded(next.eventId);
    // The fake Messages API refuses an invalid conversation (a tool_use without its result).
    expect(h.botReplies(CHANNEL, failed.threadTs).at(-1)).toBe('You created Launch Plan.');
    const transcript = JSON.stringify(messagesOf(h, before));
    for (const part of [
      'create the launch plan page',
      'CONFLUENCE_CREATE_PAGE',
      'tool_result',
      'then had to stop',
      'what did you create?',
    ])
      expect(transcript).toContain(part);
  });
});
