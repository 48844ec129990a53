/** The per-thread line: a holder killed mid-turn does not block its thread; order is kept. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DurableWorld,
  deferred,
  modelCallersFor,
  runnerOf,
  startWorld,
} from '../durable/durable-kit.js';
import { text } from '../kit/fake-anthropic/index.js';
import { askedTag, expectNoSecrets, typedRequests } from './fault-kit.js';

const CHANNEL = 'C0HOLDER';
const USER = 'U0HOLDER';

describe('a dead holder of a thread line', () => {
  let w: DurableWorld;
  beforeEach(async () => {
    w = await startWorld();
    w.composio.connect(`slack-${w.slack.teamId}-${USER}`);
  });
  afterEach(() => w?.close());

  /** Adds a message mentioning the bot and delivers its event to `eventsUrl`. */
  async function mention(eventsUrl: string, words: string, threadTs?: string) {
    const m = w.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${w.slack.botUserId}> ${words}`,
      thread_ts: threadTs,
    });
    const sent = await w.requester.event(eventsUrl, {
      type: 'app_mention',
      user: USER,
      text: m.text,
      ts: m.ts,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      channel: CHANNEL,
    });
    expect(sent.status).toBe(200);
    return { ts: m.ts, eventId: sent.eventId };
  }

  it('is taken over, and the turns queued behind it then run in order, once each', async () => {
    const [a, b] = await Promise.all([w.start('a'), w.start('b')]);
    const held = deferred();
    const hold = deferred();
    let holding = true;
    w.anthropic.respondWith(async (req) => {
      const tag = askedTag(req.body);
      if (tag === 'h1' && holding) {
        holding = false;
        held.resolve();
        await hold.promise;
      }
      return { content: [text(`Answer to ${tag}.`)] };
    });
    const first = await mention(a.eventsUrl, 'msg-h1');
    await held.promise;
    const second = await mention(b.eventsUrl, 'msg-h2', first.ts);
    const third = await mention(a.eventsUrl, 'msg-h3', first.ts);
    const runner = await runnerOf(w, [a, b], 'msg-h1');
    runner.kill('SIGKILL');
    await runner.exited;
    hold.resolve();

    const survivor = runner === a ? b : a;
    const answers = () =>
      w.slack
        .messages(CHANNEL, first.ts)
        .filter((m) => m.bot_id && m.streaming !== true)
        .map((m) => w.slack.visibleText(m));
    await w.slack.waitForCall(() => answers().length >= 3, 25_000);
    expect(answers()).toEqual(['Answer to h1.', 'Answer to h2.', 'Answer to h3.']);
    // The survivor took the dead holder's turn over, then ran the two queued behind it.
    expect(await w.state.counter('recovered')).toBeGreaterThanOrEqual(1);
    expect(modelCallersFor(w, 'msg-h1')).toEqual([runner.name, survivor.name]);
    for (const turn of [second, third]) await w.state.turnEnded(turn.eventId);
    expect(modelCallersFor(w, 'msg-h2')).toEqual([survivor.name]);
    expect(modelCallersFor(w, 'msg-h3')).toEqual([survivor.name]);
    const raw = await w.redis.get(`${w.prefix}:thread:${w.slack.teamId}:${CHANNEL}:${first.ts}`);
    const asked = typedRequests(JSON.parse(raw ?? '[]')).map(
      (t) => [...t.matchAll(/msg-(\w+)/g)].at(-1)?.[1],
    );
    expect(asked).toEqual(['h1', 'h2', 'h3']);
    expectNoSecrets(
      [...a.logs, ...b.logs],
      [w.slack.botToken, w.anthropic.apiKey, w.composio.apiKey, 'durable-secret'],
    );
  });
});
