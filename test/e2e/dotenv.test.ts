/**
 * src/main.ts reads a `.env` in its working directory for variables the environment lacks;
 * a variable the real environment sets wins over the file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, text } from '../kit/fake-anthropic/index.js';
import { startFakeComposio } from '../kit/fake-composio/index.js';
import { createSlackRequester, startFakeSlack } from '../kit/fake-slack/index.js';
import { fakesEnv } from '../kit/fakes-env.js';

const MAIN = resolve(import.meta.dirname, '../../src/main.ts');
const TSX = import.meta.resolve('tsx');
const ENV_SECRET = 'signing-secret-from-the-environment';
const FILE_SECRET = 'signing-secret-from-dotenv';

/** Resolves with the port once the process logs "listening"; rejects if it exits first. */
function listeningPort(child: ChildProcess): Promise<number> {
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolvePort, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolvePort(Number(JSON.parse(line).port));
    });
    child.once('exit', (code) =>
      reject(new Error(`main exited (${code}) before listening:\n${err}${out}`)),
    );
  });
}

describe('.env support', () => {
  const stops: Array<() => unknown> = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it('fills a missing required variable from ./.env, and the real environment wins over it', async () => {
    const [slack, anthropic, composio] = await Promise.all([
      startFakeSlack(),
      startFakeAnthropic(),
      startFakeComposio(),
    ]);
    stops.push(() => Promise.all([slack.close(), anthropic.close(), composio.close()]));
    // The real environment: everything but ANTHROPIC_API_KEY (no REDIS_URL: in-process store).
    const { ANTHROPIC_API_KEY: fromFileOnly, ...env } = fakesEnv(
      { slack, anthropic, composio },
      ENV_SECRET,
    );
    const cwd = mkdtempSync(join(tmpdir(), 'cas-dotenv-'));
    writeFileSync(
      join(cwd, '.env'),
      [
        '# only here: the process must take it from this file',
        `ANTHROPIC_API_KEY=${fromFileOnly}`,
        '# also in the real environment, whose value must win',
        `SLACK_SIGNING_SECRET=${FILE_SECRET}`,
        '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', TSX, MAIN], {
      cwd,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    stops.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    // Startup passed config validation although the environment lacks ANTHROPIC_API_KEY.
    const port = await listeningPort(child);
    const eventsUrl = `http://127.0.0.1:${port}/slack/events`;

    // The environment's signing secret is the one in force; the file's is refused.
    const root = slack.addMessage({ channel: 'C1', user: 'U1', text: `<@${slack.botUserId}> hi` });
    const event = { type: 'app_mention', user: 'U1', text: root.text, ts: root.ts, channel: 'C1' };
    const refused = await createSlackRequester(FILE_SECRET).event(eventsUrl, event);
    expect(refused.status).toBe(401);
    anthropic.script({ content: [text('Hello via the key from .env.')] });
    const accepted = await createSlackRequester(ENV_SECRET).event(eventsUrl, event);
    expect(accepted.status).toBe(200);

    // The model call carried the key from .env (the fake Anthropic accepts no other).
    const replies = () =>
      slack
        .messages('C1', root.ts)
        .filter((m) => m.bot_id)
        .map((m) => slack.visibleText(m));
    await slack.waitForCall(() => replies().includes('Hello via the key from .env.'), 10_000);
    expect(anthropic.requests).toHaveLength(1);
    expect(
      anthropic.requests[0]!.headers.authorization ?? anthropic.requests[0]!.headers['x-api-key'],
    ).toContain(fromFileOnly);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
