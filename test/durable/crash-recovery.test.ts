import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text } from '../kit/fake-anthropic/index.js';
import { createPageCall } from '../kit/tool-calls.js';
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

const CHANNEL = 'C0DURABLE';
const USER = 'U0DURA';

/** A model turn that creates page `title` through the Tool Router. */
const createPage = (title: string) => ({ content: [createPageCall(title)] });

describe('durable turns: a process killed mid-turn loses nothing and repeats no write', () => {
  let w: DurableWorld;
  beforeEach(async () => {
    w = await startWorld();
    w.composio.connect(`slack-${w.slack.teamId}-${USER}`);
  });
  afterEach(() => w?.close());

  const to = (eventsUrl: string) => ({ eventsUrl, channel: CHANNEL, user: USER });
  const answers = (ts: string) => botAnswers(w, CHANNEL, ts);
  const storedHistory = async (ts: string) =>
    (await w.redis.get(`${w.prefix}:thread:${w.slack.teamId}:${CHANNEL}:${ts}`)) ?? '';

  it('finishes on the other instance when the runner dies while its model call is in flight', async () => {
    const [a, b] = await Promise.all([w.start('a'), w.start('b')]);
    const model = holdModelCall(w, 0, () => ({ content: [text('Done after the takeover.')] }));
    const { msg, eventId } = await mentionBot(w, to(a.eventsUrl), 'say hello');
    await model.reached;
    const { runner } = await killRunner(w, [a, b], 'say hello');
    model.release();

    await answered(w, CHANNEL, msg.ts, 'Done after the takeover.');
    expect(answers(msg.ts)).toEqual(['Done after the takeover.']);
    const survivor = runner === a ? b : a;
    await w.state.turnEnded(eventId);
    expect(modelCallersFor(w, 'say hello')).toEqual([runner.name, survivor.name]);
    expect(await w.state.counter('recovered')).toBe(1);
    const history = await storedHistory(msg.ts);
    expect(history).toContain('say hello');
    expect(history).toContain('Done after the takeover.');
  });

  it('does not repeat a write that returned before the runner died', async () => {
    const [a, b] = await Promise.all([w.start('a'), w.start('b')]);
    const model = holdModelCall(w, 1, (_req, index) =>
      index === 0 ? createPage('Crash Plan') : { content: [text('Created **Crash Plan**.')] },
    );
    const { msg } = await mentionBot(w, to(b.eventsUrl), 'create the crash plan page');
    await model.reached;
    await killRunner(w, [a, b], 'create the crash plan page');
    model.release();

    await answered(w, CHANNEL, msg.ts, 'Created **Crash Plan**.');
    expect(answers(msg.ts)).toEqual(['Created **Crash Plan**.']);
    expect(w.composio.confluence.writeCount('CONFLUENCE_CREATE_PAGE')).toBe(1);
    const site = w.composio.confluence.site(`slack-${w.slack.teamId}-${USER}`);
    expect(site.pages.filter((p) => p.title === 'Crash Plan')).toHaveLength(1);
    const history = await storedHistory(msg.ts);
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
    w.anthropic.respondWith((_req, index) =>
      index === 0
        ? createPage('Doubt Plan')
        : { content: [text('I will check whether the page exists first.')] },
    );
    const { msg } = await mentionBot(w, to(a.eventsUrl), 'create the doubt plan page');
    await w.composio.waitForMcpCall(
      (c) => c.method === 'tools/call' && c.tool === 'COMPOSIO_MULTI_EXECUTE_TOOL',
      10_000,
    );
    await killRunner(w, [a, b], 'create the doubt plan page');

    await answered(w, CHANNEL, msg.ts, 'check whether the page exists');
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
    const model = holdModelCall(w, 0, () => ({ content: [text('Finished after the restart.')] }));
    const { msg } = await mentionBot(w, to(a.eventsUrl), 'keep going');
    await model.reached;
    a.kill('SIGKILL');
    await a.exited;
    model.release();
    await w.start('a-again');

    await answered(w, CHANNEL, msg.ts, 'Finished after the restart.');
    expect(answers(msg.ts)).toEqual(['Finished after the restart.']);
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
    await answered(w, CHANNEL, root.ts, 'Only once.');
    await w.state.turnEnded(first.eventId);
    expect(answers(root.ts)).toEqual(['Only once.']);
    expect(
      w.anthropic.requests.filter((r) => JSON.stringify(r.body.messages).includes('once please')),
    ).toHaveLength(1);
  });
});
