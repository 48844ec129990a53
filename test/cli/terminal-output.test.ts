import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseChatArgs } from '../../src/cli/chat-args.js';
import { createTerminalOutput, unstreamedRest } from '../../src/cli/terminal-output.js';
import type { TurnRequest } from '../../src/turns/turn-request.js';

const request = (id: string): TurnRequest => ({
  id,
  source: 'mention',
  teamId: 'cli',
  channel: 'cli',
  threadTs: 't',
  messageTs: '1',
  userId: 'cli-me',
  text: 'hi',
});

function capture() {
  let text = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { output, text: () => text };
}

describe('terminal output', () => {
  it('finds the part of an answer not yet streamed', () => {
    expect(unstreamedRest('Hi.Done.', 'Hi.\n\nDone.')).toBe('');
    expect(unstreamedRest('Hi.', 'Hi.\n\nI stopped here.')).toBe('I stopped here.');
    expect(unstreamedRest('Hi, I will', 'Claude is busy.')).toBeUndefined();
  });

  it('prints a streamed answer once, and an unstreamed one in full', async () => {
    const sink = capture();
    const out = createTerminalOutput({ output: sink.output });
    await out.status(request('a'), 'CONFLUENCE_CREATE_PAGE');
    await out.streamText(request('a'), 'Created ');
    await out.streamText(request('a'), 'it.');
    await out.answer(request('a'), 'Created it.');
    await out.answer(request('b'), 'Not streamed.');
    expect(sink.text()).toBe('· Creating page…\nCreated it.\n\nNot streamed.\n\n');
  });

  it('prints the pages an answer cites as numbered links under it', async () => {
    const sink = capture();
    const out = createTerminalOutput({ output: sink.output });
    await out.streamText(request('a'), 'In May[1].');
    await out.answer(request('a'), 'In May[1].', {
      sources: [
        {
          url: 'https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Plan',
          title: 'Plan',
          space: 'MKT',
        },
      ],
    });
    await out.answer(request('b'), 'No pages.', { sources: [] });
    expect(sink.text()).toBe(
      'In May[1].\n\nSources:\n  [1] Plan (MKT) https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Plan\n\nNo pages.\n\n',
    );
  });

  it('dims status lines only when colour is on', async () => {
    const sink = capture();
    await createTerminalOutput({ output: sink.output, color: true }).status(request('a'), '');
    expect(sink.text()).toBe('\x1b[2m· Thinking…\x1b[22m\n');
  });

  it('shows the exact operations awaiting approval, and connect links', async () => {
    const sink = capture();
    const out = createTerminalOutput({ output: sink.output });
    await out.askApproval(
      request('a'),
      [
        {
          toolUseId: 'toolu_1',
          toolName: 'COMPOSIO_MULTI_EXECUTE_TOOL',
          slugs: ['CONFLUENCE_DELETE_PAGE'],
          input: { tools: [{ tool_slug: 'CONFLUENCE_DELETE_PAGE', arguments: { id: '42' } }] },
        },
      ],
      [],
    );
    await out.connectLink(request('a'), 'confluence', 'https://example.test/link/lk_1');
    expect(sink.text()).toContain('  CONFLUENCE_DELETE_PAGE {"id":"42"}\n');
    expect(sink.text()).toContain('Connect your Confluence account');
    expect(sink.text()).toContain('  https://example.test/link/lk_1\n');
  });
});

describe('chat flags', () => {
  it('defaults the user to cli-<os user> and a new thread', () => {
    const args = parseChatArgs([], 'alice');
    expect(args.user).toBe('cli-alice');
    expect(args.thread).toMatch(/^cli-[0-9a-f]{8}$/);
    expect(parseChatArgs(['--user', 'bob', '--thread', 'x1'], 'alice')).toMatchObject({
      user: 'bob',
      thread: 'x1',
      help: false,
    });
    expect(parseChatArgs(['--help'], 'alice').help).toBe(true);
    expect(() => parseChatArgs(['--nope'], 'alice')).toThrow(/nope/);
  });
});
