import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnApp } from '../kit/app-process.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type DurableWorld, deferred, runnerOf, startWorld } from './durable-kit.js';

const CHANNEL = 'C0ROLES';
const USER = 'U0ROLE';

describe('roles, metrics, waiting notices and shutdown of durable turns', () => {
  let w: DurableWorld;
  beforeEach(async () => {
    w = await startWorld();
    w.composio.connect(`slack-${w.slack.teamId}-${USER}`);
  });
  afterEach(() => w?.close());

  const answers = (ts: string) =>
    w.slack
      .messages(CHANNEL, ts)
      .filter((m) => m.bot_id)
      .map((m) => w.slack.visibleText(m));
  const answered = (ts: string, words: string) =>
    w.slack.waitForCall(() => answers(ts).some((a) => a.includes(words)), 20_000);
  async function mention(eventsUrl: string, words: string, threadTs?: string) {
    const msg = w.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${w.slack.botUserId}> ${words}`,
      thread_ts: threadTs,
    });
    const event = {
      type: 'app_mention',
      user: USER,
      text: msg.text,
      ts: msg.ts,
      channel: CHANNEL,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    };
    const sent = await w.requester.event(eventsUrl, event);
    expect(sent.status).toBe(200);
    return { msg, eventId: sent.eventId };
  }

  it('a receiver-only process enqueues and a worker-only process answers; both serve health', async () => {
    const receiver = await w.start('receiver', { ROLE: 'receiver' });
    const worker = await w.start('worker', { ROLE: 'worker' });
    w.anthropic.respondWith(() => ({ content: [text('Answered by the worker.')] }));
    const { msg, eventId } = await mention(receiver.eventsUrl, 'who answers?');
    await answered(msg.ts, 'Answered by the worker.');
    expect(await runnerOf([receiver, worker], eventId)).toBe(worker);
    for (const app of [receiver, worker]) {
      const base = app.eventsUrl.replace('/slack/events', '');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    }
    // The worker has no Slack endpoint; its metrics show the finished turn.
    expect((await fetch(worker.eventsUrl, { method: 'POST', body: '{}' })).status).toBe(404);
    const metrics = await (
      await fetch(worker.eventsUrl.replace('/slack/events', '/metrics'))
    ).text();
    expect(metrics).toMatch(/confluence_agent_turns_completed [1-9]/);
    expect(metrics).toContain('confluence_agent_turns_recovered 0');
  });

  it('tells a turn waiting behind a slow one that it is next, then runs both in order', async () => {
    const a = await w.start('a', { TURN_WAIT_NOTICE_MS: '1000' });
    const firstCall = deferred();
    const hold = deferred();
    w.anthropic.respondWith(async (req, index) => {
      if (index === 0) {
        firstCall.resolve();
        await hold.promise;
      }
      return {
        content: [
          text(
            JSON.stringify(req.body.messages).includes('second') ? 'Second done.' : 'First done.',
          ),
        ],
      };
    });
    const first = await mention(a.eventsUrl, 'first');
    await firstCall.promise;
    await mention(a.eventsUrl, 'second', first.msg.ts);
    await answered(first.msg.ts, 'still working on an earlier request');
    hold.resolve();
    await answered(first.msg.ts, 'Second done.');
    const shown = answers(first.msg.ts);
    expect(shown.findIndex((s) => s.includes('First done.'))).toBeLessThan(
      shown.findIndex((s) => s.includes('Second done.')),
    );
  });

  it('on SIGTERM stops within its drain bound and exits 0; another instance finishes the turn', {
    timeout: 40_000,
  }, async () => {
    const [a, b] = await Promise.all([
      w.start('a', { SHUTDOWN_DRAIN_MS: '500' }),
      w.start('b', { SHUTDOWN_DRAIN_MS: '500' }),
    ]);
    const firstCall = deferred();
    const hold = deferred();
    w.anthropic.respondWith(async (_req, index) => {
      if (index === 0) {
        firstCall.resolve();
        await hold.promise;
      }
      return { content: [text('Finished elsewhere.')] };
    });
    const { msg, eventId } = await mention(a.eventsUrl, 'long job');
    await firstCall.promise;
    const runner = await runnerOf([a, b], eventId);
    runner.kill('SIGTERM');
    expect(await runner.exited).toBe(0);
    hold.resolve();
    await answered(msg.ts, 'Finished elsewhere.');
    expect(answers(msg.ts).filter((s) => s.includes('Finished elsewhere.'))).toHaveLength(1);
    expect(runner.logs.some((l) => l.msg === 'stopped')).toBe(true);
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
