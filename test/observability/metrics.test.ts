/**
 * `/metrics` (src/observability/metrics.ts, served by src/http/health-routes.ts) with the real
 * app, real Redis and the fakes: a scripted turn with one tool call shows in the turn, model,
 * token, tool and Slack series; labels stay bounded however many people use the bot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askToDelete, composioUserOf, mention } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { type Exposition, scrape } from '../kit/prometheus.js';
import { getSpacesCall } from '../kit/tool-calls.js';
import { waitUntil } from '../kit/wait.js';

const CHANNEL = 'C0METRICS';
const USER = 'U0METRICS';
const P = 'confluence_agent_';
const USERS = 1_000;
// Mentions sent at once: enough to keep the workers busy, few enough for a 2-core machine.
const BATCH = 50;

/** Our series (name and labels), as one sorted list of strings. */
const seriesOf = (e: Exposition) =>
  [
    ...new Set(
      e.samples.filter((s) => s.name.startsWith(P)).map((s) => JSON.stringify([s.name, s.labels])),
    ),
  ].sort();

describe('/metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.composio.connect(composioUserOf(h, USER));
  });
  afterAll(() => h?.stop());

  it('after a turn with one tool call: turn, model, token, tool and Slack series hold its counts', async () => {
    const before = await scrape(h.baseUrl);
    const slackBefore = h.slack.calls.length;
    h.anthropic.script(
      { content: [getSpacesCall()] },
      { content: [text('You have the Marketing and Engineering spaces.')] },
    );
    const { eventId } = await mention(h, { user: USER, channel: CHANNEL, text: 'which spaces?' });
    await h.state.turnEnded(eventId);

    // Bolt's own start-up auth.test (its client, not the turns') may land meanwhile: not ours.
    const slackMade = h.slack.calls
      .slice(slackBefore)
      .map((c) => c.method)
      .filter((m) => m !== 'auth.test');
    const after = await waitUntil('the turn counted', async () => {
      const e = await scrape(h.baseUrl);
      return e.value(`${P}turns_total`, { surface: 'mention', outcome: 'answered' }) ? e : null;
    });
    const delta = (name: string, labels?: Record<string, string>) =>
      after.sum(name, labels) - before.sum(name, labels);

    expect(delta(`${P}turns_total`, { surface: 'mention', outcome: 'answered' })).toBe(1);
    expect(delta(`${P}turns_total`)).toBe(1);
    expect(delta(`${P}turn_duration_seconds_count`, { surface: 'mention' })).toBe(1);
    expect(delta(`${P}turn_first_sign_seconds_count`, { surface: 'mention' })).toBe(1);

    expect(delta(`${P}model_requests_total`, { outcome: 'ok', stop_reason: 'tool_use' })).toBe(1);
    expect(delta(`${P}model_requests_total`, { outcome: 'ok', stop_reason: 'end_turn' })).toBe(1);
    expect(delta(`${P}model_requests_total`)).toBe(2);
    expect(delta(`${P}model_request_duration_seconds_count`)).toBe(2);
    expect(delta(`${P}model_tokens_total`, { kind: 'input' })).toBeGreaterThan(0);
    expect(delta(`${P}model_tokens_total`, { kind: 'output' })).toBeGreaterThan(0);

    expect(
      delta(`${P}tool_calls_total`, { tool: 'COMPOSIO_MULTI_EXECUTE_TOOL', outcome: 'ok' }),
    ).toBe(1);
    expect(delta(`${P}tool_calls_total`)).toBe(1);
    expect(delta(`${P}tool_call_duration_seconds_count`)).toBe(1);

    // Every Web API call the fake Slack saw during the turn, counted once by method.
    expect(slackMade.length).toBeGreaterThan(0);
    for (const method of new Set(slackMade)) {
      expect(delta(`${P}slack_api_calls_total`, { method, outcome: 'ok' }), method).toBe(
        slackMade.filter((m) => m === method).length,
      );
    }
    expect(delta(`${P}slack_api_calls_total`)).toBe(slackMade.length);

    // Queue depth from BullMQ, and prom-client's default process metrics.
    expect(after.types.get(`${P}queue_jobs`)).toBe('gauge');
    expect(after.value(`${P}queue_jobs`, { state: 'active' })).toBe(0);
    expect(after.types.get(`${P}queue_recoveries_total`)).toBe('counter');
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(
        after.samples.some((s) => s.name === name),
        name,
      ).toBe(true);
  });

  it('counts each way a turn ends: refused, failed, awaiting approval, denied', async () => {
    const before = await scrape(h.baseUrl);
    const turns = (e: Exposition, outcome: string) =>
      e.value(`${P}turns_total`, { surface: 'mention', outcome });
    // An empty mention gets the usage, without the model.
    const empty = await mention(h, { user: USER, channel: CHANNEL, text: '' });
    await h.waitForBotReply(CHANNEL, empty.threadTs, 'Ask me to do something');
    // Anthropic refuses the request as malformed (400): the turn fails, the model call errs.
    h.anthropic.script({ error: { status: 400, message: 'bad request' } });
    const failing = await mention(h, { user: USER, channel: CHANNEL, text: 'fail please' });
    await h.state.turnEnded(failing.eventId);
    // A delete waits for approval; Deny resumes it, and it answers.
    const asked = await askToDelete(h, { user: USER, channel: CHANNEL, title: 'Old Plan' });
    h.anthropic.script({ content: [text('Left "Old Plan" alone.')] });
    await asked.click(USER, 'approval_deny');
    await h.waitForBotReply(CHANNEL, asked.threadTs, 'Left "Old Plan" alone.');
    await h.state.turnEnded(asked.eventId);

    const after = await waitUntil('every outcome counted', async () => {
      const e = await scrape(h.baseUrl);
      return turns(e, 'answered') - turns(before, 'answered') === 1 ? e : null;
    });
    const delta = (outcome: string) => turns(after, outcome) - turns(before, outcome);
    expect(delta('refused')).toBe(1);
    expect(delta('failed')).toBe(1);
    expect(delta('awaiting_approval')).toBe(1);
    expect(delta('denied')).toBe(1);
    expect(
      after.value(`${P}model_requests_total`, { outcome: 'error', stop_reason: 'none' }) -
        before.value(`${P}model_requests_total`, { outcome: 'error', stop_reason: 'none' }),
    ).toBe(1);
  });

  it(`keeps the same label sets over ${USERS} people: no user, channel or thread in any label`, async () => {
    h.anthropic.respondWith(() => ({ content: [text('Done.')] }));
    // A first person sets up every series an answered mention makes.
    const first = await mention(h, { user: 'U0FIRST', channel: 'C0FIRST', text: 'hello there' });
    await h.state.turnEnded(first.eventId);
    const baseline = seriesOf(await scrape(h.baseUrl));
    const answered = () =>
      scrape(h.baseUrl).then((e) =>
        e.value(`${P}turns_total`, { surface: 'mention', outcome: 'answered' }),
      );
    const startCount = await answered();
    for (let i = 0; i < USERS; i += BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(BATCH, USERS - i) }, (_, j) =>
          mention(h, { user: `U${i + j}X`, channel: `C${i + j}X`, text: 'hello there' }),
        ),
      );
      await waitUntil(
        `${i + BATCH} turns answered`,
        async () => (await answered()) >= startCount + Math.min(i + BATCH, USERS),
        60_000,
      );
    }
    const after = await scrape(h.baseUrl);
    expect(after.value(`${P}turns_total`, { surface: 'mention', outcome: 'answered' })).toBe(
      startCount + USERS,
    );
    expect(seriesOf(after)).toEqual(baseline);
    const labelValues = after.samples.flatMap((s) => Object.values(s.labels)).join(' ');
    expect(labelValues).not.toMatch(/U\d+X|C\d+X|U0FIRST|slack-/);
  }, 240_000);
});

describe('/metrics without Redis', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ memoryStore: true });
    h.composio.connect(composioUserOf(h, USER));
  });
  afterAll(() => h?.stop());

  it('serves the same series from the in-process parts', async () => {
    h.anthropic.script(
      { content: [getSpacesCall()] },
      { content: [text('You have the Marketing and Engineering spaces.')] },
    );
    const { threadTs } = await mention(h, { user: USER, channel: CHANNEL, text: 'which spaces?' });
    await h.waitForBotReply(CHANNEL, threadTs, 'Marketing and Engineering');
    // Counted as it ends, then out of the dispatcher's hands.
    const e = await waitUntil('the turn counted and done', async () => {
      const m = await scrape(h.baseUrl);
      const counted = m.value(`${P}turns_total`, { surface: 'mention', outcome: 'answered' });
      return counted && m.value(`${P}queue_jobs`, { state: 'active' }) === 0 ? m : null;
    });
    expect(e.value(`${P}turns_total`, { surface: 'mention', outcome: 'answered' })).toBe(1);
    expect(e.sum(`${P}model_requests_total`)).toBe(2);
    expect(
      e.value(`${P}tool_calls_total`, { tool: 'COMPOSIO_MULTI_EXECUTE_TOOL', outcome: 'ok' }),
    ).toBe(1);
    expect(e.sum(`${P}slack_api_calls_total`, { method: 'chat.postMessage' })).toBeGreaterThan(0);
    // The in-process dispatcher's queue: nothing left in flight.
    for (const state of ['waiting', 'active', 'delayed', 'failed'])
      expect(
        e.samples.some((s) => s.name === `${P}queue_jobs` && s.labels.state === state),
        state,
      ).toBe(true);
  });
});
