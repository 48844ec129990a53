import { userInfo } from 'node:os';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from '../config.js';
import { createCore } from '../core.js';
import { createLogger } from '../logger.js';
import { CHAT_USAGE, ChatArgsError, parseChatArgs } from './chat-args.js';
import { runChat } from './run-chat.js';
import { createTerminalOutput } from './terminal-output.js';

/** The terminal chat's composition root: reads process.env and .env, like src/main.ts. */
async function main(): Promise<void> {
  let args: ReturnType<typeof parseChatArgs>;
  try {
    args = parseChatArgs(process.argv.slice(2), osUsername());
  } catch (err) {
    if (!(err instanceof ChatArgsError)) throw err;
    process.stderr.write(`${err.message}\n\n${CHAT_USAGE}`);
    process.exit(2);
  }
  if (args.help) return void process.stdout.write(CHAT_USAGE);
  const fromFile: Record<string, string> = {};
  loadDotenv({ processEnv: fromFile, quiet: true });
  const env = { ...fromFile, ...process.env };
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env, { surface: 'cli' });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\nSee README.md, "Configuration".\n`);
    process.exit(2);
  }
  // Logs would drown the conversation: stderr, and only warnings unless LOG_LEVEL asks for more.
  const logger = createLogger({
    level: env.LOG_LEVEL?.trim() ? config.logLevel : 'warn',
    secrets: [config.anthropic.apiKey, config.composio.apiKey],
    destination: process.stderr,
  });
  const output = createTerminalOutput({
    output: process.stdout,
    color: process.stdout.isTTY && !env.NO_COLOR,
  });
  const core = createCore(config, logger, {
    output,
    composioUserIdOf: async () => args.user,
  });
  await runChat({
    input: process.stdin,
    output: process.stdout,
    core,
    userId: args.user,
    threadId: args.thread,
  });
}

/** The OS user name; some containers have no passwd entry for the current uid. */
function osUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

await main();
