/**
 * Traces (src/observability/tracing.ts) with the real app, real Redis, the fakes and an
 * in-process OTLP receiver: one turn is one trace from the Slack request through the queue to
 * the model, tool and Slack calls, and no span carries a message, a token or a secret.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTracing } from '../../src/observability/tracing.js';
import {
  answered,
  type DurableWorld,
  holdModelCall,
  killRunner,
  mentionBot,
  startWorld,
} from '../durable/durable-kit.js';
import { askToDelete, composioUserOf, mention } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { type OtlpReceiver, startOtlpReceiver } from '../kit/otlp-receiver.js';
import { getSpacesCall } from '../kit/tool-calls.js';

const CHANNEL = 'C0TRACE';
const USER = 'U0TRACE';
const ASKED = 'list the spaces of project nightingale';
const ANSWER = 'Nightingale lives in the Marketing space.';

/**
 * An app whose spans go to an in-process OTLP receiver, for one describe block (started before
 * its tests, stopped after them); `USER` is connected.
 */
function tracedApp() {
  const app = {} as { h: Harness; otlp: OtlpReceiver };
  beforeAll(async () => {
    app.otlp = await startOtlpReceiver();
    app.h = await startHarness({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: app.otlp.url } });
    app.h.composio.connect(composioUserOf(app.h, USER));
  });
  afterAll(async () => {
    await app.h?.stop();
    await app.otlp?.close();
  });
  return app;
}

describe('traces', () => {
  const app = tracedApp();

  it('one turn is one trace: the request, the queue hand-off, model, tool and Slack calls', async () => {
    const { h, otlp } = app;
    h.anthropic.script({ content: [getSpacesCall()] }, { content: [text(ANSWER)] });
    const slackBefore = h.slack.calls.length;
    const { eventId } = await mention(h, { user: USER, channel: CHANNEL, text: ASKED });
    await h.state.turnEnded(eventId);
    // Bolt's own start-up auth.test (its client, not the turns') may land meanwhile: not ours.
    const slackCalls = h.slack.calls
      .slice(slackBefore)
      .filter((c) => c.method !== 'auth.test').length;
    // Stopping flushes the spans still batched (Application.stop shuts the tracer down).
    await h.app.stop({ drainMs: 2_000 });

    const [run, ...moreRuns] = otlp.spans.filter((s) => s.name === 'turn.run');
    expect(run).toBeDefined();
    expect(moreRuns).toEqual([]);
    const trace = otlp.spans.filter((s) => s.traceId === run!.traceId);
    const named = (name: string) => trace.filter((s) => s.name === name);
    const byId = new Map(trace.map((s) => [s.spanId, s]));

    // The Slack request is the root; the queue hand-off carries its context to the worker.
    const [request] = named('slack.request');
    expect(request!.parentSpanId).toBeUndefined();
    expect(request!.attributes['slack.request.kind']).toBe('event_callback');
    const [enqueue] = named('turn.enqueue');
    expect(enqueue!.parentSpanId).toBe(request!.spanId);
    expect(run!.parentSpanId).toBe(enqueue!.spanId);
    expect(run!.attributes['turn.surface']).toBe('mention');

    expect(named('model.request')).toHaveLength(2);
    expect(
      named('model.request').map((s) => s.attributes['gen_ai.response.finish_reasons']),
    ).toEqual([['tool_use'], ['end_turn']]);
    expect(named('tool.call')).toHaveLength(1);
    expect(named('tool.call')[0]!.attributes['gen_ai.tool.name']).toBe(
      'COMPOSIO_MULTI_EXECUTE_TOOL',
    );
    // Every Slack call of the turn is a span of its trace.
    expect(named('slack.api')).toHaveLength(slackCalls);
    // Everything of the turn hangs under its run.
    const underRun = (s: (typeof trace)[number]) => {
      for (let p = s.parentSpanId, i = 0; p && i < 20; p = byId.get(p)?.parentSpanId, i++)
        if (p === run!.spanId) return true;
      return false;
    };
    for (const s of [...named('model.request'), ...named('tool.call'), ...named('slack.api')])
      expect(underRun(s), s.name).toBe(true);
    // No span of ours lies outside the turn's trace.
    const ours = ['slack.request', 'turn.enqueue', 'turn.run', 'model.request', 'tool.call'];
    expect(otlp.spans.filter((s) => ours.includes(s.name) && s.traceId !== run!.traceId)).toEqual(
      [],
    );

    // No message text, token or secret anywhere in what was sent.
    const sent = otlp.bodies.join('\n');
    for (const secret of [
      ASKED,
      'nightingale',
      ANSWER,
      'Marketing',
      h.config.slack.botToken,
      h.signingSecret,
      h.config.anthropic.apiKey,
      h.config.composio.apiKey,
      'xoxb-',
      composioUserOf(h, USER),
    ])
      expect(sent.toLowerCase()).not.toContain(secret.toLowerCase());
  });
});

describe('traces across instances', () => {
  let w: DurableWorld;
  let otlp: OtlpReceiver;
  beforeEach(async () => {
    otlp = await startOtlpReceiver();
    w = await startWorld();
    w.composio.connect(`slack-${w.slack.teamId}-${USER}`);
  });
  afterEach(async () => {
    await w?.close();
    await otlp?.close();
  });

  it('a turn taken over by another instance after a crash continues the trace of its request', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url };
    const receiver = await w.start('r', { ...env, ROLE: 'receiver' });
    const [a, b] = await Promise.all([
      w.start('a', { ...env, ROLE: 'worker' }),
      w.start('b', { ...env, ROLE: 'worker' }),
    ]);
    const model = holdModelCall(w, 0, () => ({ content: [text('Done after the takeover.')] }));
    const to = { eventsUrl: receiver.eventsUrl, channel: CHANNEL, user: USER };
    const { msg, eventId } = await mentionBot(w, to, 'say hello');
    await model.reached;
    const { runner } = await killRunner(w, [a, b], 'say hello');
    model.release();
    await answered(w, CHANNEL, msg.ts, 'Done after the takeover.');
    await w.state.turnEnded(eventId);
    // A clean stop flushes each survivor's spans.
    const survivor = runner === a ? b : a;
    for (const app of [survivor, receiver]) app.kill('SIGTERM');
    await Promise.all([survivor.exited, receiver.exited]);

    const [request] = otlp.spans.filter((s) => s.name === 'slack.request');
    const [enqueue] = otlp.spans.filter((s) => s.name === 'turn.enqueue');
    const runs = otlp.spans.filter((s) => s.name === 'turn.run');
    // The killed runner's spans died with it; the survivor's run is in the request's trace.
    expect(runs).toHaveLength(1);
    expect(runs[0]!.traceId).toBe(request!.traceId);
    expect(runs[0]!.parentSpanId).toBe(enqueue!.spanId);
    const models = otlp.spans.filter((s) => s.name === 'model.request');
    expect(models.length).toBeGreaterThan(0);
    expect(models.every((s) => s.traceId === request!.traceId)).toBe(true);
  }, 60_000);
});

describe('traces of an approval', () => {
  const app = tracedApp();

  it("the click's run is a trace of its own, linked to the trace of the turn it resumes", async () => {
    const { h, otlp } = app;
    const turn = await askToDelete(h, { user: USER, channel: CHANNEL, title: 'Traced Plan' });
    h.anthropic.script({ content: [text('Deleted.')] });
    await turn.click(USER, 'approval_approve');
    await h.state.turnEnded(turn.eventId);
    await h.app.stop({ drainMs: 2_000 });

    const [run] = otlp.spans.filter((s) => s.name === 'turn.run');
    const [decide] = otlp.spans.filter((s) => s.name === 'turn.decide');
    expect(run && decide).toBeTruthy();
    expect(decide!.traceId).not.toBe(run!.traceId);
    expect(decide!.links.map((l) => l.traceId)).toEqual([run!.traceId]);
    // The resumed run's model call belongs to the click's trace.
    const models = otlp.spans.filter((s) => s.name === 'model.request');
    expect(models.filter((s) => s.traceId === decide!.traceId)).toHaveLength(1);
  });
});

describe('tracing off', () => {
  it('without an OTLP endpoint every span is a no-op (nothing recorded, nothing sent)', () => {
    const { tracer } = createTracing({ serviceName: 'confluence-agent' });
    const span = tracer.startSpan('turn.run');
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});
