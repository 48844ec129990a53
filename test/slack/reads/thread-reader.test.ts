/** The thread reader over the real WebClient and the fake Slack: the bot's own messages stay out. */
import { LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createThreadReader } from '../../../src/slack/reads/thread-reader.js';
import { createUserNames } from '../../../src/slack/reads/user-names.js';
import type { TurnRequest } from '../../../src/turns/turn-request.js';
import { type FakeSlack, startFakeSlack } from '../../kit/fake-slack/index.js';

const CHANNEL = 'C0READER';
const ALICE = 'U0ALICE';

let slack: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  slack = await startFakeSlack();
  slack.addUser({ id: ALICE, display_name: 'Alice' });
  slack.addUser({ id: slack.botUserId, display_name: 'Confluence Agent', bot_id: slack.botId });
  client = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
});
afterEach(async () => {
  await slack.close();
});

/** A thread: Alice asks, the bot answers, Alice mentions the bot again; the request is that mention. */
function threadWithBotAnswer(): TurnRequest {
  const root = slack.addMessage({ channel: CHANNEL, user: ALICE, text: 'We ship Friday' });
  slack.addMessage({
    channel: CHANNEL,
    user: slack.botUserId,
    bot_id: slack.botId,
    text: 'Bot answer',
    thread_ts: root.ts,
  });
  const mention = slack.addMessage({
    channel: CHANNEL,
    user: ALICE,
    text: `<@${slack.botUserId}> and now?`,
    thread_ts: root.ts,
  });
  return {
    id: 'req',
    source: 'mention',
    teamId: slack.teamId,
    channel: CHANNEL,
    threadTs: root.ts,
    messageTs: mention.ts,
    userId: ALICE,
    text: 'and now?',
  };
}

describe('createThreadReader', () => {
  it('asks who it is again after a failed auth.test, then keeps the answer', async () => {
    const request = threadWithBotAnswer();
    const reader = createThreadReader(client, createUserNames(client));
    slack.failNext('auth.test', 'internal_error');
    // This one read goes on without knowing its own id: its answer reads as anyone's.
    const degraded = await reader.read(request);
    expect(degraded.map((m) => m.text)).toEqual(['We ship Friday', 'Bot answer']);

    const later = await reader.read(request);
    expect(later.map((m) => [m.author, m.text])).toEqual([['Alice', 'We ship Friday']]);
    await reader.read(request);
    expect(slack.callsTo('auth.test')).toHaveLength(2);
  });
});
