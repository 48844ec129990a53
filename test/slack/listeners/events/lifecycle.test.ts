/**
 * Lifecycle events (src/slack/listeners/events/lifecycle.ts): app_uninstalled, tokens_revoked
 * and app_context_changed are acknowledged with a 200 and handled without a word to Slack: the
 * bot has lost its access (or has nothing to do), so it posts nothing and queues no turn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../kit/harness.js';

describe('lifecycle events', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it.each([
    ['app_uninstalled', { type: 'app_uninstalled', event_ts: '1700000000.000100' }],
    [
      'tokens_revoked',
      {
        type: 'tokens_revoked',
        tokens: { oauth: ['U0OWNER'], bot: ['U0BOT'] },
        event_ts: '1700000000.000200',
      },
    ],
    ['app_context_changed', { type: 'app_context_changed', event_ts: '1700000000.000300' }],
  ])('%s: answers 200 and calls nothing on Slack', async (_type, event) => {
    const callsBefore = h.slack.calls.length;
    const sent = await h.requester.event(h.eventsUrl, event);
    expect(sent.status).toBe(200);
    // Its listener has run to the end: the event id is kept as handled.
    await h.state.eventHandled(sent.eventId);
    // Nothing but Bolt's own auth.test (it identifies the bot on the first request it sees).
    const called = h.slack.calls.slice(callsBefore).map((c) => c.method);
    expect(called.filter((method) => method !== 'auth.test')).toEqual([]);
    expect(await h.state.turnJobs()).toEqual([]);
  });
});
