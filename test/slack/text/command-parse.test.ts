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

describe('parseConfluenceCommand: subscriptions', () => {
  it('reads subscribe with a space key and a kind (pages by default), and unsubscribe', () => {
    expect(parseConfluenceCommand('subscribe mkt')).toEqual({
      kind: 'subscribe',
      spaceKey: 'MKT',
      kinds: ['page'],
    });
    expect(parseConfluenceCommand('Subscribe ENG  ALL')).toEqual({
      kind: 'subscribe',
      spaceKey: 'ENG',
      kinds: ['page', 'blogpost', 'comment'],
    });
    expect(parseConfluenceCommand('subscribe ENG blogposts')).toMatchObject({
      kinds: ['blogpost'],
    });
    expect(parseConfluenceCommand('subscribe ENG comments')).toMatchObject({ kinds: ['comment'] });
    expect(parseConfluenceCommand('unsubscribe eng')).toEqual({
      kind: 'unsubscribe',
      spaceKey: 'ENG',
    });
    expect(parseConfluenceCommand('subscriptions')).toEqual({ kind: 'subscriptions' });
  });

  it('answers missing or malformed arguments with the usage, never the agent', () => {
    for (const text of [
      'subscribe',
      'subscribe <!here>',
      'subscribe MKT everything',
      'subscribe MKT pages now',
      'unsubscribe',
      'unsubscribe MKT pages',
      `subscribe ${'K'.repeat(300)}`,
    ])
      expect(parseConfluenceCommand(text).kind, text).toBe('usage');
    const bad = parseConfluenceCommand('subscribe <!here>');
    expect(bad.kind === 'usage' && bad.problem).not.toContain('<!here>');
  });

  it('takes a mistyped subscription subcommand for a typo, alone or with its space key', () => {
    expect(parseConfluenceCommand('subscibe MKT')).toEqual({ kind: 'help', unknown: 'subscibe' });
    expect(parseConfluenceCommand('unsubscrbe MKT')).toEqual({
      kind: 'help',
      unknown: 'unsubscrbe',
    });
    expect(parseConfluenceCommand('subscriptons')).toEqual({
      kind: 'help',
      unknown: 'subscriptons',
    });
    expect(parseConfluenceCommand('summarise the MKT launch plan')).toMatchObject({
      kind: 'request',
    });
  });
});

describe('escapeMrkdwn', () => {
  it('neutralises mentions, links and entities', () => {
    expect(escapeMrkdwn('<!here> & <https://x|y>')).toBe('&lt;!here&gt; &amp; &lt;https://x|y&gt;');
  });
});
