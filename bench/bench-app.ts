import { createApplication } from '../src/application.js';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { createBaselineBot } from './baseline/bot.js';

/** The bot variants the benchmark compares. */
export type Variant = 'ours' | 'baseline';

/** What the benchmark's app process needs of either variant. */
export interface BenchApp {
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** The product (createApplication, unchanged) or the seed-guide baseline, from one config. */
export function createBenchApp(variant: Variant, config: Config, logger: Logger): BenchApp {
  if (variant === 'baseline') return createBaselineBot(config, logger);
  const app = createApplication(config, logger);
  return {
    start: () => app.start(),
    stop: () => app.stop({ drainMs: 2_000 }),
  };
}
