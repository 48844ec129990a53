import { describe, expect, it } from 'vitest';
import { turnRequestFromCommand } from '../../../src/slack/requests/command.js';
import { turnRequestFromSummarise } from '../../../src/slack/requests/summarise.js';

describe('turnRequestFromCommand', () => {
  it('announces the request in a new thread and replies through the response_url until then', () => {
    const command = {
      trigger_id: '123.456',
      team_id: 'T1',
      user_id: 'U1',
      channel_id: 'C1',
      response_url: 'https://hooks.slack.test/commands/1',
    };
    expect(turnRequestFromCommand(command, 'list spaces', 1_700_000_000_000)).toEqual({
      id: 'cmd-123.456',
      source: 'command',
      teamId: 'T1',
      userId: 'U1',
      text: 'list spaces',
      threadContext: 'none',
      channel: 'C1',
      threadTs: 'cmd-123.456',
      messageTs: 'cmd-123.456',
      announce: { text: 'list spaces', where: 'new_thread' },
      responseUrl: 'https://hooks.slack.test/commands/1',
      receivedAt: 1_700_000_000_000,
    });
  });
});

describe('turnRequestFromSummarise', () => {
  const form = { spaceKey: 'MKT', title: 'Retro <notes> & more' };
  const target = { teamId: 'T1', channel: 'C1', threadTs: '9.1' };

  it('reads the whole summarised thread and says in it who asked, with the title escaped for mrkdwn', () => {
    const r = turnRequestFromSummarise({ viewId: 'V1', userId: 'U2', teamId: 'T9' }, target, form);
    expect(r).toMatchObject({
      id: 'view-V1',
      source: 'shortcut',
      teamId: 'T1',
      channel: 'C1',
      threadTs: '9.1',
      messageTs: '9.1',
      userId: 'U2',
      threadContext: 'whole_thread',
      announce: { where: 'in_thread' },
    });
    expect(r.announce?.text).toBe(
      '<@U2> asked me to summarise this thread into "Retro &lt;notes&gt; &amp; more" in space MKT.',
    );
    expect(r.text).toContain('MKT');
  });

  it('falls back to the submitting team when the target has none', () => {
    const r = turnRequestFromSummarise(
      { viewId: 'V1', userId: 'U2', teamId: 'T9' },
      { ...target, teamId: '' },
      form,
    );
    expect(r.teamId).toBe('T9');
  });
});
