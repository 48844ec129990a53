import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalPrompt, buttonClick } from '../kit/agent-helpers.js';
import type { RunningApp } from '../kit/app-process.js';
import { text } from '../kit/fake-anthropic/index.js';
import { deletePageCall, seedPage } from '../kit/tool-calls.js';
import {
  answered,
  botAnswers,
  type DurableWorld,
  holdModelCall,
  mentionBot,
  startWorld,
} from './durable-kit.js';

const CHANNEL = 'C0APPROVE';
const USER = 'U0APPROV';

describe('durable turns: a turn resumed by Approve or Deny finishes whoever dies', () => {
  let w: DurableWorld;
  let composioUser: string;
  beforeEach(async () => {
    w = await startWorld();
    composioUser = `slack-${w.slack.teamId}-${USER}`;
    w.composio.connect(composioUser);
  });
  afterEach(() => w?.close());

  /**
   * Asks to delete a page, answers the prompt with `actionId` and holds the model call that
   * follows the decision (so the approved write has returned, or the denial was recorded).
   * Resolves with the held call's sender and the thread.
   */
  async function decideAndHold(
    entry: RunningApp,
    actionId: 'approval_approve' | 'approval_deny',
    answer: string,
  ) {
    const pageId = seedPage(w.composio, composioUser, 'Old Plan');
    const model = holdModelCall(w, 1, (_req, index) =>
      index === 0 ? { content: [deletePageCall(pageId)] } : { content: [text(answer)] },
    );
    const { msg, eventId } = await mentionBot(
      w,
      { eventsUrl: entry.eventsUrl, channel: CHANNEL, user: USER },
      'delete the old plan',
    );
    const prompt = await approvalPrompt(w, msg.ts);
    const click = await w.requester.interaction(
      entry.eventsUrl,
      buttonClick(w, {
        user: USER,
        channel: CHANNEL,
        message: { ts: String(prompt.result!.ts), thread_ts: msg.ts },
        actionId,
        value: eventId,
      }),
    );
    expect(click.status).toBe(200);
    await model.reached;
    const held = w.anthropic.requests[1]!;
    return { msg, eventId, held, release: model.release };
  }

  const answersWith = (ts: string, words: string) =>
    botAnswers(w, CHANNEL, ts).filter((a) => a.includes(words));

  it('an approved turn whose runner dies after the write is finished by the other instance', async () => {
    const [a, b] = await Promise.all([w.start('a'), w.start('b')]);
    const { msg, eventId, held, release } = await decideAndHold(
      a,
      'approval_approve',
      'Deleted **Old Plan**.',
    );
    // The model call after the approved write: the write has returned when it arrives.
    expect(w.composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE')).toBe(1);
    const runner = [a, b].find((app) => app.name === held.via)!;
    runner.kill('SIGKILL');
    await runner.exited;
    release();

    await answered(w, CHANNEL, msg.ts, 'Deleted **Old Plan**.');
    await w.state.turnEnded(eventId);
    expect(answersWith(msg.ts, 'Deleted **Old Plan**.')).toHaveLength(1);
    expect(w.composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE')).toBe(1);
    const survivor = runner === a ? 'b' : 'a';
    expect(w.anthropic.requests.at(-1)!.via).toBe(survivor);
  });

  it.each([
    ['approval_approve', 'Deleted **Old Plan** after all.', 1, 'tool_result'],
    ['approval_deny', 'Understood, I left **Old Plan** alone.', 0, 'declined'],
  ] as const)(
    'a turn decided by %s whose single instance dies is finished after a restart',
    async (actionId, answer, writes, told) => {
      const a = await w.start('a');
      const { msg, eventId, release } = await decideAndHold(a, actionId, answer);
      a.kill('SIGKILL');
      await a.exited;
      release();
      await w.start('a-again');

      await answered(w, CHANNEL, msg.ts, answer);
      await w.state.turnEnded(eventId);
      expect(answersWith(msg.ts, answer)).toHaveLength(1);
      expect(w.composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE')).toBe(writes);
      // The resumed run told Claude what became of the call: its result, or the denial.
      const last = JSON.stringify(w.anthropic.requests.at(-1)!.body.messages.at(-1));
      expect(last).toContain(told);
      expect(last.includes('declined')).toBe(writes === 0);
    },
  );

  /** A turn that asks to delete a page; its prompt's post is held (before or after Slack). */
  async function killAtPrompt(before: boolean) {
    const a = await w.start('a');
    const pageId = seedPage(w.composio, composioUser, 'Old Plan');
    w.anthropic.respondWith(() => ({ content: [deletePageCall(pageId)] }));
    const held = w.slack.holdAnswer(
      'chat.postMessage',
      (c) => JSON.stringify(c.args.blocks ?? '').includes('approval_approve'),
      { before },
    );
    const { msg, eventId } = await mentionBot(
      w,
      { eventsUrl: a.eventsUrl, channel: CHANNEL, user: USER },
      'delete the old plan',
    );
    await held.reached;
    a.kill('SIGKILL');
    await a.exited;
    held.release();
    await w.start('a-again');
    await w.state.turnPaused(eventId, 15_000);
    const prompts = () =>
      w.slack
        .messages(CHANNEL, msg.ts)
        .filter((m) => JSON.stringify(m.blocks ?? '').includes('approval_approve'));
    await w.slack.waitForCall(() => prompts().length > 0, 15_000);
    // The takeover has run the job to its end: whatever it was going to post is posted.
    await w.state.turnJobFinished(eventId);
    return prompts();
  }

  it('a prompt that never reached Slack before its runner died is posted by the takeover', async () => {
    expect(await killAtPrompt(true)).toHaveLength(1);
  });

  it('a prompt posted just before its runner died is not posted again', async () => {
    expect(await killAtPrompt(false)).toHaveLength(1);
  });
});
