import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text, toolUse } from '../kit/fake-anthropic/index.js';
import { type DurableWorld, deferred, runnerOf, startWorld } from './durable-kit.js';

const CHANNEL = 'C0DURABLE';
const USER = 'U0DURA';

describe('durable turns: a process killed mid-turn loses nothing and repeats no write', () => {
  let w: DurableWorld;
  beforeEach(async () => {
    w = await startWorld();
    w.composio.connect(`slack-${w.slack.teamId}-${USER}`);
  });
  afterEach(() => w?.close());

  /** Posts a human message mentioning the bot and delivers it to `eventsUrl`. */
  async function mention(eventsUrl: string, words: string) {
    const root = w.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${w.slack.botUserId}> ${words}`,
    });
    const sent = await w.requester.event(eventsUrl, {
      type: 'app_mention',
      user: USER,
      text: root.text,
      ts: root.ts,
      channel: CHANNEL,
    });
    expect(sent.status).toBe(200);
    return { root, eventId: sent.eventId };
  }

  const answers = (ts: string) =>
    w.slack
      .messages(CHANNEL, ts)
      .filter((m) => m.bot_id)
      .map((m) => w.slack.visibleText(m));
  const answered = (ts: string, words: string) =>
    w.slack.waitForCall(() => answers(ts).some((a) => a.includes(words)), 25_000);

  async function storedHistory(ts: string): Promise<string> {
    return (await w.redis.get(`${w.prefix}:thread:${w.slack.teamId}:${CHANNEL}:${ts}`)) ?? '';
  }

  it('finishes on the other instance when the runner dies while its model call is in flight', async () => {
    const [a, b] = await Promise.all([w.start('a'), w.start('b')]);
    const firstCall = deferred();
    const hold = deferred();
    w.anthropic.respondWith(async (_req, index) => {
      if (index === 0) {
        firstCall.resolve();
        await hold.promise;
      }
      return { content: [text('Done after the takeover.')] };
    });
    const { root, eventId } = await mention(a.eventsUrl, 'say hello');
    await firstCall.promise;
    const runner = await runnerOf([a, b], eventId);
    runner.kill('SIGKILL');
    await runner.exited;
    hold.resolve();

    await answered(root.ts, 'Done after the takeover.');
    expect(answers(root.ts)).toEqual(['Done after the takeover.']);
    const survivor = runner === a ? b : a;
    await survivor.waitForLog((l) => l.msg === 'turn finished' && l.turn === eventId);
    const history = await storedHistory(root.ts);
    expect(history).toContain('say hello');
    expect(history).toContain('Done after the takeover.');
  });

  it('does not repeat a write that returned before the runner died', async () => {
    const [a, b] = await Promise.all([w.start('a'), w.start('b')]);
    const secondCall = deferred();
    const hold = deferred();
    w.anthropic.respondWith(async (_req, index) => {
      if (index === 0) {
        const page = {
          spaceId: 'MKT',
          title: 'Crash Plan',
          body: { storage: { representation: 'storage', value: '<p>x</p>' } },
        };
        return {
          content: [
            toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', {
              tools: [{ tool_slug: 'CONFLUENCE_CREATE_PAGE', arguments: page }],
            }),
          ],
        };
      }
      if (index === 1) {
        secondCall.resolve();
        await hold.promise;
      }
      return { content: [text('Created **Crash Plan**.')] };
    });
    const { root, eventId } = await mention(b.eventsUrl, 'create the crash plan page');
    await secondCall.promise;
    const runner = await runnerOf([a, b], eventId);
    runner.kill('SIGKILL');
    await runner.exited;
    hold.resolve();

    await answered(root.ts, 'Created **Crash Plan**.');
    expect(answers(root.ts)).toEqual(['Created **Crash Plan**.']);
    expect(w.composio.confluence.writeCount('CONFLUENCE_CREATE_PAGE')).toBe(1);
    const site = w.composio.confluence.site(`slack-${w.slack.teamId}-${USER}`);
    expect(site.pages.filter((p) => p.title === 'Crash Plan')).toHaveLength(1);
    const history = await storedHistory(root.ts);
    for (const part of [
      'create the crash plan page',
      'CONFLUENCE_CREATE_PAGE',
      'tool_result',
      'Created **Crash Plan**.',
    ]) {
      expect(history).toContain(part);
    }
  });

  it('tells Claude a write was interrupted instead of repeating it', async () => {
    const [a, b] = await Promise.all([w.start('a'), w.start('b')]);
    w.composio.setToolDelay(1_500);
    w.anthropic.respondWith(async (_req, index) => {
      if (index === 0) {
        const page = {
          spaceId: 'MKT',
          title: 'Doubt Plan',
          body: { storage: { representation: 'storage', value: '<p>x</p>' } },
        };
        return {
          content: [
            toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', {
              tools: [{ tool_slug: 'CONFLUENCE_CREATE_PAGE', arguments: page }],
            }),
          ],
        };
      }
      return { content: [text('I will check whether the page exists first.')] };
    });
    const { root, eventId } = await mention(a.eventsUrl, 'create the doubt plan page');
    await w.composio.waitForMcpCall(
      (c) => c.method === 'tools/call' && c.tool === 'COMPOSIO_MULTI_EXECUTE_TOOL',
      10_000,
    );
    const runner = await runnerOf([a, b], eventId);
    runner.kill('SIGKILL');
    await runner.exited;

    await answered(root.ts, 'check whether the page exists');
    const resumed = w.anthropic.requests.at(-1)!.body.messages as Array<{ content: unknown }>;
    const results = JSON.stringify(resumed.at(-1)!.content);
    expect(results).toContain('may or may not have taken effect');
    expect(results).toContain('"is_error":true');
    // The interrupted call reached the tool at most once; the takeover did not call it again.
    const writes = w.composio.mcpCalls.filter(
      (c) => c.method === 'tools/call' && c.tool === 'COMPOSIO_MULTI_EXECUTE_TOOL',
    );
    expect(writes).toHaveLength(1);
    expect(w.composio.confluence.writeCount('CONFLUENCE_CREATE_PAGE')).toBeLessThanOrEqual(1);
  });

  it('a single instance killed mid-turn and restarted finishes the turn itself', async () => {
    const a = await w.start('a');
    const firstCall = deferred();
    const hold = deferred();
    w.anthropic.respondWith(async (_req, index) => {
      if (index === 0) {
        firstCall.resolve();
        await hold.promise;
      }
      return { content: [text('Finished after the restart.')] };
    });
    const { root } = await mention(a.eventsUrl, 'keep going');
    await firstCall.promise;
    a.kill('SIGKILL');
    await a.exited;
    hold.resolve();
    await w.start('a-again');

    await answered(root.ts, 'Finished after the restart.');
    expect(answers(root.ts)).toEqual(['Finished after the restart.']);
  });

  it('runs one job when the same Slack event reaches both instances', async () => {
    const [a, b] = await Promise.all([w.start('a'), w.start('b')]);
    w.anthropic.respondWith(() => ({ content: [text('Only once.')] }));
    const root = w.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${w.slack.botUserId}> once please`,
    });
    const event = {
      type: 'app_mention',
      user: USER,
      text: root.text,
      ts: root.ts,
      channel: CHANNEL,
    };
    const first = await w.requester.event(a.eventsUrl, event);
    const [again, retry] = await Promise.all([
      w.requester.event(b.eventsUrl, event, { eventId: first.eventId }),
      w.requester.event(a.eventsUrl, event, {
        eventId: first.eventId,
        retryNum: 1,
        retryReason: 'http_timeout',
      }),
    ]);
    expect([first.status, again.status, retry.status]).toEqual([200, 200, 200]);
    await answered(root.ts, 'Only once.');
    await Promise.any(
      [a, b].map((p) => p.waitForLog((l) => l.msg === 'turn finished' && l.turn === first.eventId)),
    );
    expect(answers(root.ts)).toEqual(['Only once.']);
    expect(
      w.anthropic.requests.filter((r) => JSON.stringify(r.body.messages).includes('once please')),
    ).toHaveLength(1);
  });
});
