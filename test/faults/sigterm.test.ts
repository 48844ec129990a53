/** SPEC §8 "SIGTERM": stops taking work, finishes the turn in flight (bounded), exits 0. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DurableWorld,
  deferred,
  modelCallersFor,
  runnerOf,
  startWorld,
} from '../durable/durable-kit.js';
import { mention as agentMention } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { startHarness } from '../kit/harness.js';
import { askedTag, expectNoSecrets } from './fault-kit.js';

const CHANNEL = 'C0SIGTERM';
const USER = 'U0SIGTERM';

describe('SIGTERM on a running process', () => {
  let w: DurableWorld;
  beforeEach(async () => {
    w = await startWorld();
    w.composio.connect(`slack-${w.slack.teamId}-${USER}`);
  });
  afterEach(() => w?.close());

  async function mention(eventsUrl: string, words: string) {
    const m = w.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${w.slack.botUserId}> ${words}`,
    });
    const sent = await w.requester.event(eventsUrl, {
      type: 'app_mention',
      user: USER,
      text: m.text,
      ts: m.ts,
      channel: CHANNEL,
    });
    return { ts: m.ts, eventId: sent.eventId, status: sent.status };
  }
  const answers = (ts: string) =>
    w.slack
      .messages(CHANNEL, ts)
      .filter((m) => m.bot_id && m.streaming !== true)
      .map((m) => w.slack.visibleText(m));

  it('finishes the turn in flight, leaves new work to the other instance, and exits 0', async () => {
    const [a, b] = await Promise.all([w.start('a'), w.start('b')]);
    const held = deferred();
    const hold = deferred();
    w.anthropic.respondWith(async (req) => {
      const tag = askedTag(req.body);
      if (tag === 't1') {
        held.resolve();
        await hold.promise;
      }
      return { content: [text(`Answer to ${tag}.`)] };
    });
    const first = await mention(a.eventsUrl, 'msg-t1');
    await held.promise;
    const runner = await runnerOf(w, [a, b], 'msg-t1');
    const other = runner === a ? b : a;
    runner.kill('SIGTERM');
    // The one wait on a log line left: nothing else shows that the signal has been handled
    // (the worker stops taking jobs) before the next request arrives.
    await runner.waitForLog((l) => l.msg === 'shutting down');

    // New work reaching the stopping instance is not run there.
    const second = await mention(runner === a ? a.eventsUrl : b.eventsUrl, 'msg-t2');
    hold.resolve();
    // Exit code 0: stopped cleanly, within the drain bound (past its deadline it exits 1).
    expect(await runner.exited).toBe(0);
    await w.state.turnEnded(first.eventId);
    expect(modelCallersFor(w, 'msg-t1')).toEqual([runner.name]);
    expect(answers(first.ts)).toEqual(['Answer to t1.']);

    // …but queued, and answered by the instance that keeps running.
    expect(second.status).toBe(200);
    await w.slack.waitForCall(() => answers(second.ts).length > 0, 15_000);
    expect(answers(second.ts)).toEqual(['Answer to t2.']);
    await w.state.turnEnded(second.eventId);
    expect(modelCallersFor(w, 'msg-t2')).toEqual([other.name]);
    expectNoSecrets(
      [...a.logs, ...b.logs],
      [w.slack.botToken, w.anthropic.apiKey, w.composio.apiKey, 'durable-secret'],
    );
  });
});

describe('stopping without Redis (turns in this process only)', () => {
  it('finishes the turn in flight and tells a request that arrives meanwhile to try again', async () => {
    const h = await startHarness({ memoryStore: true });
    try {
      h.composio.connect(`slack-${h.slack.teamId}-${USER}`);
      const held = deferred();
      const hold = deferred();
      h.anthropic.respondWith(async (req) => {
        const tag = askedTag(req.body);
        if (tag === 'm1') {
          held.resolve();
          await hold.promise;
        }
        return { content: [text(`Answer to ${tag}.`)] };
      });
      const first = await agentMention(h, { user: USER, channel: CHANNEL, text: 'msg-m1' });
      await held.promise;
      const stopping = h.app.stop({ drainMs: 10_000 });
      const second = await agentMention(h, { user: USER, channel: CHANNEL, text: 'msg-m2' });
      const refusal = await h.waitForBotReply(CHANNEL, second.threadTs, 'again');
      // Told the truth: the bot is restarting, not that its store is down.
      expect(h.slack.visibleText(refusal)).toMatch(/restarting/);
      expect(h.slack.visibleText(refusal)).not.toMatch(/conversation store/);
      hold.resolve();
      await stopping;
      expect(h.botReplies(CHANNEL, first.threadTs)).toEqual(['Answer to m1.']);
      expect(h.anthropic.requests.filter((r) => askedTag(r.body) === 'm2')).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
