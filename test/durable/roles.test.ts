import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnApp } from '../kit/app-process.js';
import { text } from '../kit/fake-anthropic/index.js';
import {
  answered,
  botAnswers,
  type DurableWorld,
  holdModelCall,
  killRunner,
  mentionBot,
  modelCallersFor,
  startWorld,
} from './durable-kit.js';

const CHANNEL = 'C0ROLES';
const USER = 'U0ROLE';

describe('roles, metrics, waiting notices and shutdown of durable turns', () => {
  let w: DurableWorld;
  beforeEach(async () => {
    w = await startWorld();
    w.composio.connect(`slack-${w.slack.teamId}-${USER}`);
  });
  afterEach(() => w?.close());

  const to = (eventsUrl: string) => ({ eventsUrl, channel: CHANNEL, user: USER });
  const baseOf = (eventsUrl: string) => eventsUrl.replace('/slack/events', '');

  it('a receiver-only process enqueues and a worker-only process answers; both serve health', async () => {
    const receiver = await w.start('receiver', { ROLE: 'receiver' });
    const worker = await w.start('worker', { ROLE: 'worker' });
    w.anthropic.respondWith(() => ({ content: [text('Answered by the worker.')] }));
    const { msg } = await mentionBot(w, to(receiver.eventsUrl), 'who answers?');
    await answered(w, CHANNEL, msg.ts, 'Answered by the worker.');
    expect(modelCallersFor(w, 'who answers?')).toEqual(['worker']);
    for (const app of [receiver, worker]) {
      expect((await fetch(`${baseOf(app.eventsUrl)}/healthz`)).status).toBe(200);
      expect((await fetch(`${baseOf(app.eventsUrl)}/readyz`)).status).toBe(200);
    }
    // The worker has no Slack endpoint; its metrics show the finished turn.
    expect((await fetch(worker.eventsUrl, { method: 'POST', body: '{}' })).status).toBe(404);
    const metrics = await (await fetch(`${baseOf(worker.eventsUrl)}/metrics`)).text();
    expect(metrics).toContain(
      'confluence_agent_turns_total{surface="mention",outcome="answered"} 1',
    );
    expect(metrics).toContain('confluence_agent_queue_recoveries_total 0');
    expect(metrics).toMatch(/confluence_agent_queue_jobs\{state="active"\} 0/);
  });

  it('tells a turn waiting behind a slow one that it is next, then runs both in order', async () => {
    const a = await w.start('a', { TURN_WAIT_NOTICE_MS: '1000' });
    const model = holdModelCall(w, 0, (req) => ({
      content: [
        text(JSON.stringify(req.body.messages).includes('second') ? 'Second done.' : 'First done.'),
      ],
    }));
    const first = await mentionBot(w, to(a.eventsUrl), 'first');
    await model.reached;
    await mentionBot(w, to(a.eventsUrl), 'second', first.msg.ts);
    await answered(w, CHANNEL, first.msg.ts, 'still working on an earlier request');
    model.release();
    await answered(w, CHANNEL, first.msg.ts, 'Second done.');
    const shown = botAnswers(w, CHANNEL, first.msg.ts);
    expect(shown.findIndex((s) => s.includes('First done.'))).toBeLessThan(
      shown.findIndex((s) => s.includes('Second done.')),
    );
  });

  it('on SIGTERM stops within its drain bound and exits 0; another instance finishes the turn', async () => {
    const drain = { SHUTDOWN_DRAIN_MS: '500' };
    const [a, b] = await Promise.all([w.start('a', drain), w.start('b', drain)]);
    const model = holdModelCall(w, 0, () => ({ content: [text('Finished elsewhere.')] }));
    const { msg, eventId } = await mentionBot(w, to(a.eventsUrl), 'long job');
    await model.reached;
    // Exit code 0: the process stopped cleanly (a shutdown past its deadline exits 1).
    const { runner, code } = await killRunner(w, [a, b], 'long job', 'SIGTERM');
    expect(code).toBe(0);
    model.release();
    await answered(w, CHANNEL, msg.ts, 'Finished elsewhere.');
    expect(
      botAnswers(w, CHANNEL, msg.ts).filter((s) => s.includes('Finished elsewhere.')),
    ).toHaveLength(1);
    await w.state.turnEnded(eventId);
    const other = runner === a ? b : a;
    expect(modelCallersFor(w, 'long job')).toEqual([runner.name, other.name]);
  });

  it('refuses roles without Redis at start-up', async () => {
    const app = spawnApp('no-redis', {
      SLACK_BOT_TOKEN: w.slack.botToken,
      SLACK_SIGNING_SECRET: 's',
      ANTHROPIC_API_KEY: 'k',
      COMPOSIO_API_KEY: 'k',
      ROLE: 'worker',
    });
    expect(await app.exited).toBe(2);
    expect(JSON.stringify(app.logs)).toContain('ROLE receiver/worker needs REDIS_URL');
  });
});
