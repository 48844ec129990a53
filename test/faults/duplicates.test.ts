/** SPEC §8 "Slack retry of an event already handled": one reply, on whichever replica it lands. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TTL } from '../../src/store/keys.js';
import { answerIn, approvalPrompt, buttonClick, composioUserOf } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { deletePageCall, seedPage } from '../kit/tool-calls.js';
import { askedTag, errorLines, expectNoSecrets, mentionMessage, secretsOf } from './fault-kit.js';

const CHANNEL = 'C0DUPES';
const USER = 'U0DUPE';

describe('duplicate deliveries across two replicas on one Redis', () => {
  let h: Harness;
  let b: Awaited<ReturnType<Harness['startSecondApp']>>;
  beforeAll(async () => {
    h = await startHarness();
    b = await h.startSecondApp();
    h.composio.connect(composioUserOf(h, USER));
    h.anthropic.respondWith((req) => ({ content: [text(`Reply to ${askedTag(req.body)}.`)] }));
  });
  afterAll(async () => {
    await h?.stop();
    expectNoSecrets(h.logs, secretsOf(h));
  });

  /** Model requests that asked about `tag`. */
  const asked = (tag: string) => h.anthropic.requests.filter((r) => askedTag(r.body) === tag);

  it('answers once when Slack retries on the other replica and re-delivers the event id', async () => {
    const { event, threadTs } = mentionMessage(h, { user: USER, channel: CHANNEL, text: 'msg-a' });
    const first = await h.requester.event(h.eventsUrl, event);
    const again = [
      await h.requester.event(b.eventsUrl, event, {
        eventId: first.eventId,
        retryNum: 1,
        retryReason: 'http_timeout',
      }),
      await h.requester.event(h.eventsUrl, event, {
        eventId: first.eventId,
        retryNum: 2,
        retryReason: 'http_error',
      }),
      // A re-delivery without retry headers (e.g. after a Slack incident) is the same event.
      await h.requester.event(b.eventsUrl, event, { eventId: first.eventId }),
    ];
    expect([first, ...again].map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await answerIn(h, CHANNEL, threadTs, 'Reply to a.');
    await h.state.turnEnded(first.eventId);
    expect(h.botReplies(CHANNEL, threadTs)).toEqual(['Reply to a.']);
    expect(asked('a')).toHaveLength(1);
    // The event id is remembered as handled for a day, so later re-deliveries stop at it too.
    await h.state.eventHandled(first.eventId);
    expect(await h.state.pttl(h.state.keys.event(first.eventId))).toBeGreaterThan(
      (TTL.event - 60) * 1000,
    );
  });

  it('answers once when the same event reaches both replicas at the same moment', async () => {
    const { event, threadTs } = mentionMessage(h, { user: USER, channel: CHANNEL, text: 'msg-b' });
    const eventId = 'EvSAMEMOMENT01';
    const sent = await Promise.all(
      [h.eventsUrl, b.eventsUrl, h.eventsUrl, b.eventsUrl].map((url, i) =>
        h.requester.event(url, event, { eventId, ...(i ? { retryNum: i } : {}) }),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await answerIn(h, CHANNEL, threadTs, 'Reply to b.');
    await h.state.turnEnded(eventId);
    expect(h.botReplies(CHANNEL, threadTs)).toEqual(['Reply to b.']);
    expect(asked('b')).toHaveLength(1);
  });

  it('answers a direct message once when it is delivered to both replicas', async () => {
    const dm = 'D0DUPE';
    const message = h.slack.addMessage({ channel: dm, user: USER, text: 'msg-c please' });
    const event = {
      type: 'message',
      channel_type: 'im',
      channel: dm,
      user: USER,
      text: message.text,
      ts: message.ts,
    };
    const first = await h.requester.event(b.eventsUrl, event);
    const retry = await h.requester.event(h.eventsUrl, event, {
      eventId: first.eventId,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await answerIn(h, dm, message.ts, 'Reply to c.');
    await h.state.turnEnded(first.eventId);
    expect(h.botReplies(dm, message.ts)).toEqual(['Reply to c.']);
    expect(asked('c')).toHaveLength(1);
  });

  it('runs an approved delete once when Approve is clicked twice, on both replicas at once', async () => {
    const pageId = seedPage(h.composio, composioUserOf(h, USER), 'Double Click');
    h.anthropic.script({ content: [deletePageCall(pageId)] });
    const { event, threadTs } = mentionMessage(h, {
      user: USER,
      channel: CHANNEL,
      text: 'msg-d delete Double Click',
    });
    const sent = await h.requester.event(h.eventsUrl, event);
    const prompt = await approvalPrompt(h, threadTs);
    const click = buttonClick(h, {
      user: USER,
      channel: CHANNEL,
      message: { ts: String(prompt.result!.ts), thread_ts: threadTs },
      actionId: 'approval_approve',
      value: sent.eventId,
    });
    h.anthropic.script({ content: [text('Reply to d.')] });
    const clicks = await Promise.all([
      h.requester.interaction(h.eventsUrl, click),
      h.requester.interaction(b.eventsUrl, click),
    ]);
    expect(clicks.map((r) => r.status)).toEqual([200, 200]);
    await answerIn(h, CHANNEL, threadTs, 'Reply to d.');
    await h.state.turnEnded(sent.eventId);
    expect(h.composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE')).toBe(1);
    expect(h.botReplies(CHANNEL, threadTs).filter((r) => r.startsWith('Reply to'))).toEqual([
      'Reply to d.',
    ]);
  });

  it('logged no errors', () => {
    expect(errorLines(h.logs)).toEqual([]);
  });
});
