import { describe, expect, it } from 'vitest';
import { stripMention, turnRequestFromMention } from '../../../src/slack/requests/mention.js';

describe('turnRequestFromMention', () => {
  const ids = { eventId: 'Ev1', teamId: 'T1', botUserId: 'U0BOT' };
  it('replies in the thread of a top-level mention', () => {
    const req = turnRequestFromMention(
      { type: 'app_mention', user: 'U1', text: '<@U0BOT> make a page', ts: '10.1', channel: 'C1' },
      ids,
    );
    expect(req).toMatchObject({
      threadTs: '10.1',
      messageTs: '10.1',
      text: 'make a page',
      userId: 'U1',
    });
  });
  it('replies in the existing thread of a threaded mention', () => {
    const req = turnRequestFromMention(
      {
        type: 'app_mention',
        user: 'U1',
        text: 'hi <@U0BOT>',
        ts: '10.5',
        thread_ts: '10.1',
        channel: 'C1',
      },
      ids,
    );
    expect(req?.threadTs).toBe('10.1');
  });
  it('ignores mentions by bots', () => {
    expect(
      turnRequestFromMention(
        { type: 'app_mention', bot_id: 'B1', text: 'x', ts: '1', channel: 'C' },
        ids,
      ),
    ).toBeUndefined();
  });
  it('keeps mentions of other people', () => {
    expect(stripMention('<@U0BOT> ask <@U2> about it', 'U0BOT')).toBe('ask <@U2> about it');
  });
});
