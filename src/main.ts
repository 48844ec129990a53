import { config as loadDotenv } from 'dotenv';
import { createApplication } from './application.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

// Past the drain, closing Slack, the MCP connections and Redis gets ten seconds more (each close
// has its own shorter bound); then the process exits anyway.
const CLOSE_GRACE_MS = 10_000;

/** The composition root: the only place that reads process.env. */
async function main(): Promise<void> {
  const fromFile: Record<string, string> = {};
  loadDotenv({ processEnv: fromFile, quiet: true });
  const env: Record<string, string | undefined> = { ...fromFile, ...process.env };
  // `--role worker` (or --role=worker) overrides ROLE: receiver, worker, or all (default).
  const roleAt = process.argv.findIndex((a) => a === '--role' || a.startsWith('--role='));
  if (roleAt >= 0) {
    const arg = process.argv[roleAt]!;
    env.ROLE = arg.includes('=') ? arg.slice('--role='.length) : process.argv[roleAt + 1];
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\nSee README.md, "Configuration".\n`);
    process.exit(2);
  }
  const secrets = [
    config.slack.botToken,
    config.slack.appToken,
    config.slack.signingSecret,
    config.anthropic.apiKey,
    config.composio.apiKey,
  ].filter((s): s is string => Boolean(s));
  const logger = createLogger({ level: config.logLevel, secrets });
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  const app = createApplication(config, logger);
  await app.start();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Whatever happens while closing, the process ends: a hung close must not outlive SIGTERM.
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownDrainMs + CLOSE_GRACE_MS);
    deadline.unref();
    try {
      await app.stop({ drainMs: config.shutdownDrainMs });
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
