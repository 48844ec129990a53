import { describe, expect, it } from 'vitest';
import { turnRequestFromDirectMessage } from '../../../src/slack/requests/direct-message.js';

const ids = { eventId: 'Ev1', teamId: 'T1', botUserId: 'U0BOT' };
const dm = { channel_type: 'im', user: 'U1', text: 'list my spaces', ts: '5.1', channel: 'D1' };

describe('turnRequestFromDirectMessage', () => {
  it('maps a person’s DM to a request answered in its own thread', () => {
    expect(turnRequestFromDirectMessage(dm, ids)).toEqual({
      id: 'Ev1',
      source: 'dm',
      teamId: 'T1',
      channel: 'D1',
      threadTs: '5.1',
      messageTs: '5.1',
      userId: 'U1',
      text: 'list my spaces',
      // Every person's message in the DM is a turn: its thread is not read back.
      threadContext: 'none',
    });
  });

  it('answers a reply in the DM thread it belongs to, without the bot’s own mention', () => {
    const r = turnRequestFromDirectMessage(
      { ...dm, thread_ts: '4.0', text: '<@U0BOT>  and  the  next' },
      ids,
    );
    expect(r).toMatchObject({ threadTs: '4.0', messageTs: '5.1', text: 'and the next' });
  });

  it('takes a message with files (subtype file_share) as a request', () => {
    expect(turnRequestFromDirectMessage({ ...dm, subtype: 'file_share' }, ids)).toMatchObject({
      source: 'dm',
    });
  });

  it('says why channel messages, edits and bot posts are not requests', () => {
    expect(turnRequestFromDirectMessage({ ...dm, channel_type: 'channel' }, ids)).toEqual({
      ignored: 'not_a_dm',
    });
    for (const other of [{ subtype: 'message_changed' }, { bot_id: 'B1' }, { user: undefined }])
      expect(turnRequestFromDirectMessage({ ...dm, ...other }, ids)).toEqual({
        ignored: 'not_a_person',
      });
  });
});
