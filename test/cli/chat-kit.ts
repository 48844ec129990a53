import { PassThrough, Writable } from 'node:stream';
import { runChat } from '../../src/cli/run-chat.js';
import { createTerminalOutput } from '../../src/cli/terminal-output.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createCore } from '../../src/core.js';
import { createLogger } from '../../src/logger.js';
import type { FakeAnthropic } from '../kit/fake-anthropic/index.js';
import type { FakeComposio } from '../kit/fake-composio/index.js';
import { testRedisUrl } from '../kit/redis.js';

/** The chat's configuration against the local fakes and the run's Redis. */
export function chatConfig(anthropic: FakeAnthropic, composio: FakeComposio): Config {
  return loadConfig(
    {
      ANTHROPIC_API_KEY: anthropic.apiKey,
      ANTHROPIC_BASE_URL: anthropic.url,
      COMPOSIO_API_KEY: composio.apiKey,
      COMPOSIO_BASE_URL: composio.url,
      REDIS_URL: testRedisUrl(),
      LOG_LEVEL: 'silent',
    },
    { surface: 'cli' },
  );
}

/** A finished chat session: everything it printed. */
export interface ChatTranscript {
  output: string;
}

/**
 * Runs one chat session on the real core (fakes, Redis) with `lines` typed in, then Ctrl-D;
 * resolves when the REPL has closed the core.
 */
export async function chat(
  config: Config,
  who: { userId: string; threadId: string; keyPrefix: string },
  lines: string[],
): Promise<ChatTranscript> {
  let output = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const core = createCore(
    config,
    createLogger({ level: config.logLevel }),
    {
      output: createTerminalOutput({ output: sink }),
      composioUserIdOf: async () => who.userId,
    },
    { keyPrefix: who.keyPrefix },
  );
  const input = new PassThrough();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await runChat({ input, output: sink, core, userId: who.userId, threadId: who.threadId });
  return { output };
}
