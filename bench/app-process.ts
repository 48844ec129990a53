/**
 * The benchmark's app process: one variant of the bot, configured from the environment the
 * benchmark hands it, reporting its port, memory and CPU over the IPC channel.
 */
import { writeHeapSnapshot } from 'node:v8';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createBenchApp, type Variant } from './bench-app.js';

/** A request from the benchmark. */
export type AppRequest =
  | { type: 'stats'; gc: boolean | 'last-resort' }
  | { type: 'snapshot'; path: string }
  | { type: 'stop' };

/** An answer to the benchmark. */
export type AppMessage =
  | { type: 'ready'; port: number }
  | {
      type: 'stats';
      rss: number;
      heapUsed: number;
      heapTotal: number;
      external: number;
      cpuMicros: number;
    }
  | { type: 'snapshot'; path: string };

const variant: Variant = process.argv[2] === 'baseline' ? 'baseline' : 'ours';
const config = loadConfig(process.env);
const logger = createLogger({
  level: config.logLevel,
  secrets: [config.slack.botToken, config.anthropic.apiKey, config.composio.apiKey],
});
const app = createBenchApp(variant, config, logger);
const { port } = await app.start();
const send = (message: AppMessage) => process.send?.(message);
send({ type: 'ready', port });

process.on('message', async (request: AppRequest) => {
  if (request.type === 'stop') {
    await app.stop().catch((err) => logger.error({ err }, 'stop failed'));
    process.exit(0);
  }
  if (request.type === 'snapshot') {
    // Diagnostics only (not used by the benchmark's figures).
    send({ type: 'snapshot', path: writeHeapSnapshot(request.path) });
  }
  if (request.type === 'stats') {
    // Two full collections: what is left is what the bot keeps, not garbage not yet collected.
    if (request.gc && global.gc) {
      global.gc();
      await new Promise((resolve) => setImmediate(resolve));
      global.gc();
    }
    // What V8 gives back when told memory is short (pooled and free heap pages it otherwise
    // keeps for reuse): tells a high-water mark from a leak.
    if (request.gc === 'last-resort' && global.gc) {
      global.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    }
    const cpu = process.cpuUsage();
    const { heapUsed, heapTotal, external, rss } = process.memoryUsage();
    send({ type: 'stats', rss, heapUsed, heapTotal, external, cpuMicros: cpu.user + cpu.system });
  }
});
process.on('disconnect', () => process.exit(0));
