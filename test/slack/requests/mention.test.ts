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
  it('carries attached files as references (no bytes), the download URL first', () => {
    const req = turnRequestFromMention(
      {
        type: 'app_mention',
        user: 'U1',
        text: '<@U0BOT> what does this say',
        ts: '10.1',
        channel: 'C1',
        files: [
          {
            id: 'F1',
            name: 'brief.pdf',
            mimetype: 'application/pdf',
            filetype: 'pdf',
            size: 1234,
            url_private: 'https://files.slack.com/files-pri/T1-F1/brief.pdf',
            url_private_download: 'https://files.slack.com/files-pri/T1-F1/download/brief.pdf',
            preview: 'must not be carried',
          },
          { id: 'F2', file_access: 'check_file_info' },
          { id: 'F3', mode: 'tombstone' },
          'not a file',
          { name: 'no id' },
        ],
      },
      ids,
    );
    expect(req?.files).toEqual([
      {
        id: 'F1',
        name: 'brief.pdf',
        mimetype: 'application/pdf',
        filetype: 'pdf',
        size: 1234,
        url: 'https://files.slack.com/files-pri/T1-F1/download/brief.pdf',
      },
      { id: 'F2', name: 'F2' },
    ]);
  });
  it('carries no files key for a mention without files', () => {
    const req = turnRequestFromMention(
      { type: 'app_mention', user: 'U1', text: '<@U0BOT> hi', ts: '1', channel: 'C', files: [] },
      ids,
    );
    expect(req && 'files' in req).toBe(false);
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
