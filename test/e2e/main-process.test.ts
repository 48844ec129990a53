import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, text } from '../kit/fake-anthropic/index.js';
import { startFakeComposio } from '../kit/fake-composio/index.js';
import { createSlackRequester, startFakeSlack } from '../kit/fake-slack/index.js';
import { fakesEnv } from '../kit/fakes-env.js';
import { testRedisUrl } from '../kit/redis.js';

const MAIN = resolve(import.meta.dirname, '../../src/main.ts');
const TSX = import.meta.resolve('tsx');

/** Runs src/main.ts as `npm start` would, in an empty folder (no .env) with exactly `env`. */
function runMain(env: Record<string, string>): ChildProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'cas-main-'));
  return spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(stream: NodeJS.ReadableStream | null): { text: () => string } {
  let out = '';
  stream?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return { text: () => out };
}

describe('the main process', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  it('exits non-zero with one message naming every missing variable', async () => {
    const child = runMain({});
    children.push(child);
    const stderr = collect(child.stderr);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(2);
    const message = stderr.text();
    for (const name of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'ANTHROPIC_API_KEY',
      'COMPOSIO_API_KEY',
    ]) {
      expect(message).toContain(name);
    }
    expect(message.match(/Invalid configuration/g)).toHaveLength(1);
  });

  it('serves /healthz, answers a mention, and exits 0 on SIGTERM', async () => {
    const [slack, anthropic, composio] = await Promise.all([
      startFakeSlack(),
      startFakeAnthropic(),
      startFakeComposio(),
    ]);
    const child = runMain({
      ...fakesEnv({ slack, anthropic, composio }, 'main-secret', testRedisUrl()),
    });
    children.push(child);
    const stdout = collect(child.stdout);
    const port = await new Promise<number>((resolvePort, reject) => {
      child.stdout?.on('data', () => {
        const line = stdout
          .text()
          .split('\n')
          .find((l) => l.includes('"listening"'));
        if (line) resolvePort(JSON.parse(line).port);
      });
      child.once('exit', (code) =>
        reject(new Error(`main exited early (${code}): ${stdout.text()}`)),
      );
    });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    anthropic.script({ content: [text('Hello from Claude.')] });
    const root = slack.addMessage({ channel: 'C1', user: 'U1', text: `<@${slack.botUserId}> hi` });
    const res = await createSlackRequester('main-secret').event(
      `http://127.0.0.1:${port}/slack/events`,
      {
        type: 'app_mention',
        user: 'U1',
        text: root.text,
        ts: root.ts,
        channel: 'C1',
      },
    );
    expect(res.status).toBe(200);
    const replies = () =>
      slack
        .messages('C1', root.ts)
        .filter((m) => m.bot_id)
        .map((m) => slack.visibleText(m));
    await slack.waitForCall(() => replies().includes('Hello from Claude.'), 10_000);
    expect(replies()).toEqual(['Hello from Claude.']);

    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // No secret in anything the process logged.
    for (const secret of [slack.botToken, anthropic.apiKey, composio.apiKey, 'main-secret']) {
      expect(stdout.text()).not.toContain(secret);
    }
    await Promise.all([slack.close(), anthropic.close(), composio.close()]);
  });
});
