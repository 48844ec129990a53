import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { type FakeAnthropic, startFakeAnthropic, text } from '../kit/fake-anthropic/index.js';
import { type FakeComposio, startFakeComposio } from '../kit/fake-composio/index.js';
import { cleanPrefixPerTest, randomPrefix } from '../kit/redis.js';
import { createPageCall, deletePageCall } from '../kit/tool-calls.js';
import { chat, chatConfig } from './chat-kit.js';

const CHAT = resolve(import.meta.dirname, '../../src/cli/chat.ts');
const TSX = import.meta.resolve('tsx');

describe('npm run chat: the terminal REPL on the real core', () => {
  let anthropic: FakeAnthropic;
  let composio: FakeComposio;
  let config: Config;
  let who: { userId: string; threadId: string; keyPrefix: string };

  beforeAll(async () => {
    [anthropic, composio] = await Promise.all([startFakeAnthropic(), startFakeComposio()]);
    config = chatConfig(anthropic, composio);
  });
  afterAll(async () => {
    await Promise.all([anthropic?.close(), composio?.close()]);
  });
  const nextPrefix = cleanPrefixPerTest();
  beforeEach(() => {
    const id = nextPrefix();
    who = { userId: `cli-${id}`, threadId: `thread-${id}`, keyPrefix: id };
    composio.connect(who.userId);
  });

  const seedPage = (title: string): string => {
    const site = composio.confluence.site(who.userId);
    const mkt = site.spaces.find((s) => s.key === 'MKT')!;
    const created = composio.confluence.execute(who.userId, 'CONFLUENCE_CREATE_PAGE', {
      spaceId: mkt.id,
      title,
      body: { storage: { representation: 'storage', value: '<p>Old.</p>' } },
    });
    expect(created.successful).toBe(true);
    return composio.confluence.site(who.userId).pages.find((p) => p.title === title)!.id;
  };

  it('creates a page as the --user, prints the answer, and carries the history', async () => {
    anthropic.script(
      {
        content: [
          text('Creating it now.'),
          createPageCall('Launch Plan', { html: '<p>The plan.</p>' }),
        ],
      },
      { content: [text('Created **Launch Plan** in space MKT.')] },
      { content: [text('A page called Launch Plan, in MKT.')] },
    );
    const before = anthropic.requests.length;
    const { output } = await chat(config, who, [
      "create a page titled 'Launch Plan' in space MKT",
      'what did you just create?',
      '/exit',
    ]);

    const pages = composio.confluence
      .site(who.userId)
      .pages.filter((p) => p.title === 'Launch Plan');
    expect(pages).toHaveLength(1);
    expect(composio.sessions().some((s) => s.userId === who.userId)).toBe(true);
    expect(output).toContain('· Creating page…');
    expect(output.match(/Created \*\*Launch Plan\*\* in space MKT\./g)).toHaveLength(1);
    expect(output.match(/A page called Launch Plan, in MKT\./g)).toHaveLength(1);

    const second = JSON.stringify(anthropic.requests[before + 2]!.body.messages);
    expect(second).toContain("create a page titled 'Launch Plan' in space MKT");
    expect(second).toContain('CONFLUENCE_CREATE_PAGE');
    expect(second).toContain('Created **Launch Plan** in space MKT.');
    expect(second).toContain('what did you just create?');
  });

  it('continues a stored thread after a restart (same --thread, new core)', async () => {
    anthropic.script({ content: [text('Noted: the codename is Falcon.')] });
    await chat(config, who, ['the codename is Falcon']);
    anthropic.script({ content: [text('It is Falcon.')] });
    const before = anthropic.requests.length;
    const { output } = await chat(config, who, ['what is the codename?']);
    expect(output).toContain('It is Falcon.');
    const sent = JSON.stringify(anthropic.requests[before]!.body.messages);
    expect(sent).toContain('the codename is Falcon');
    expect(sent).toContain('Noted: the codename is Falcon.');
  });

  it('asks before a delete and runs it on "y"', async () => {
    const id = seedPage('Old Notes');
    anthropic.script(
      { content: [deletePageCall(id)] },
      { content: [text('Deleted **Old Notes**.')] },
    );
    const { output } = await chat(config, who, ['delete the page Old Notes', 'y']);
    expect(output).toContain(`CONFLUENCE_DELETE_PAGE {"id":"${id}"}`);
    expect(output).toContain('Approve? [y/N]');
    expect(output).toContain('Deleted **Old Notes**.');
    expect(composio.confluence.site(who.userId).pages.some((p) => p.id === id)).toBe(false);
  });

  it('keeps the page when the answer is "n"', async () => {
    const id = seedPage('Keep Me');
    anthropic.script(
      { content: [deletePageCall(id)] },
      { content: [text('OK, I left **Keep Me** alone.')] },
    );
    const before = anthropic.requests.length;
    const { output } = await chat(config, who, ['delete the page Keep Me', 'n']);
    expect(output).toContain('Approve? [y/N]');
    expect(output).toContain('OK, I left **Keep Me** alone.');
    expect(composio.confluence.site(who.userId).pages.some((p) => p.id === id)).toBe(true);
    expect(composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE', who.userId)).toBe(0);
    expect(JSON.stringify(anthropic.requests[before + 1]!.body.messages)).toContain('declined');
  });

  it('answers /help locally and sends nothing to the model', async () => {
    const before = anthropic.requests.length;
    const { output } = await chat(config, who, ['/help', '', '/nope']);
    expect(output).toContain('/exit');
    expect(output).toContain('Unknown command /nope');
    expect(anthropic.requests.length).toBe(before);
  });
});

/** Runs src/cli/chat.ts in an empty folder (no .env) with exactly `env`, typing `stdin`. */
async function runChatProcess(env: Record<string, string>, args: string[], stdin: string) {
  const cwd = mkdtempSync(join(tmpdir(), 'cas-chat-'));
  const child = spawn(process.execPath, ['--import', TSX, CHAT, ...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { code, stdout, stderr };
}

describe('the chat process', () => {
  it('exits 2 naming the missing keys when started with an empty environment', async () => {
    const { code, stderr } = await runChatProcess({}, [], '');
    expect(code).toBe(2);
    expect(stderr).toContain('ANTHROPIC_API_KEY');
    expect(stderr).toContain('COMPOSIO_API_KEY');
    expect(stderr).not.toContain('SLACK');
  });

  it('answers a piped line as --user, logs to stderr, and exits 0 at the end of input', async () => {
    const [anthropic, composio] = await Promise.all([startFakeAnthropic(), startFakeComposio()]);
    try {
      anthropic.script({ content: [text('Hello from the agent.')] });
      const { code, stdout, stderr } = await runChatProcess(
        {
          ANTHROPIC_API_KEY: anthropic.apiKey,
          ANTHROPIC_BASE_URL: anthropic.url,
          COMPOSIO_API_KEY: composio.apiKey,
          COMPOSIO_BASE_URL: composio.url,
        },
        ['--user', 'cli-piped', '--thread', `thread-${randomPrefix()}`],
        'hello\n',
      );
      expect(code).toBe(0);
      // Without REDIS_URL the in-process store warns, on stderr, away from the conversation.
      expect(stderr).toContain('REDIS_URL is not set');
      expect(stdout).not.toContain('REDIS_URL');
      expect(stdout).toContain('chatting as cli-piped');
      expect(stdout).toContain('Hello from the agent.');
      expect(composio.sessions().map((s) => s.userId)).toEqual(['cli-piped']);
    } finally {
      await Promise.all([anthropic.close(), composio.close()]);
    }
  });
});
