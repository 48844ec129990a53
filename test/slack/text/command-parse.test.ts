import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, parseConfluenceCommand } from '../../../src/slack/text/command-parse.js';

describe('parseConfluenceCommand', () => {
  it('reads empty text, "?" and -h/--help as help', () => {
    for (const text of [undefined, '', '   ', '?', 'help', 'HELP', '-h', '--help']) {
      expect(parseConfluenceCommand(text)).toEqual({ kind: 'help' });
    }
  });

  it('reads the subcommands, whatever their case and spacing', () => {
    expect(parseConfluenceCommand(' Connect ')).toEqual({ kind: 'connect' });
    expect(parseConfluenceCommand('status')).toEqual({ kind: 'status' });
    expect(parseConfluenceCommand('DISCONNECT')).toEqual({ kind: 'disconnect' });
  });

  it('answers a mistyped subcommand with help that names it', () => {
    expect(parseConfluenceCommand('conect')).toEqual({ kind: 'help', unknown: 'conect' });
    expect(parseConfluenceCommand('Stauts')).toEqual({ kind: 'help', unknown: 'Stauts' });
    expect(parseConfluenceCommand('disconnet')).toEqual({ kind: 'help', unknown: 'disconnet' });
  });

  it('passes anything else to the agent, trimmed but otherwise as typed', () => {
    expect(parseConfluenceCommand('  create a page titled "Launch" in MKT ')).toEqual({
      kind: 'request',
      text: 'create a page titled "Launch" in MKT',
    });
    expect(parseConfluenceCommand('spaces')).toEqual({ kind: 'request', text: 'spaces' });
    expect(parseConfluenceCommand('connect me to the ENG space')).toEqual({
      kind: 'request',
      text: 'connect me to the ENG space',
    });
  });
});

describe('escapeMrkdwn', () => {
  it('neutralises mentions, links and entities', () => {
    expect(escapeMrkdwn('<!here> & <https://x|y>')).toBe('&lt;!here&gt; &amp; &lt;https://x|y&gt;');
  });
});
