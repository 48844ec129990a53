import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The rules in .dependency-cruiser.mjs (run by `npm run lint`), each shown failing on a few
 * small files written to a temporary src/ tree, and the real src/ shown passing them.
 */

const repo = fileURLToPath(new URL('..', import.meta.url));
let options: ICruiseOptions;
let scratch: string;
let cases = 0;

beforeAll(async () => {
  options = await extractDepcruiseOptions(join(repo, '.dependency-cruiser.mjs'));
  // The fixtures resolve packages through the repository's node_modules and package.json.
  scratch = mkdtempSync(join(tmpdir(), 'architecture-'));
  symlinkSync(join(repo, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  symlinkSync(join(repo, 'package.json'), join(scratch, 'package.json'));
});

afterAll(() => {
  if (!scratch) return;
  unlinkSync(join(scratch, 'node_modules'));
  unlinkSync(join(scratch, 'package.json'));
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * The broken rules in `baseDir`'s src/, as "rule: from → to" (a cycle: every step of it), with
 * packages by their name.
 */
async function violations(baseDir: string): Promise<string[]> {
  const result = await cruise(['src'], { ...options, baseDir });
  if (typeof result.output === 'string') throw new Error(result.output);
  const shorten = (path: string) => path.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, '$1');
  return result.output.summary.violations
    .map((v) => {
      const to = v.cycle ? v.cycle.map((step) => step.name) : [shorten(v.to)];
      return `${v.rule.name}: ${[v.from, ...to].join(' → ')}`;
    })
    .sort();
}

/** Writes `files` (path under the fixture root → contents) to a fresh fixture and cruises it. */
async function violationsIn(files: Record<string, string>): Promise<string[]> {
  cases += 1;
  const baseDir = join(scratch, `case-${cases}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(baseDir, path)), { recursive: true });
    writeFileSync(join(baseDir, path), text);
  }
  return violations(baseDir);
}

describe('architecture rules', () => {
  it.each(['agent', 'store', 'turns', 'composio', 'confluence', 'http'])(
    'src/%s imports nothing from @slack/*, not even a type',
    async (room) => {
      expect(
        await violationsIn({
          [`src/${room}/reply.ts`]:
            "import type { App } from '@slack/bolt';\nexport type Reply = App;\n",
        }),
      ).toEqual([`no-slack-outside-the-slack-rooms: src/${room}/reply.ts → @slack/bolt`]);
    },
  );

  it('src/slack may import @slack/*', async () => {
    expect(
      await violationsIn({
        'src/slack/reply.ts': "import type { App } from '@slack/bolt';\nexport type Reply = App;\n",
      }),
    ).toEqual([]);
  });

  it('only src/store and src/turns/durable import ioredis or bullmq', async () => {
    expect(
      await violationsIn({
        'src/composio/cache.ts': "import { Redis } from 'ioredis';\nexport const r = Redis;\n",
        'src/turns/queue.ts': "import { Queue } from 'bullmq';\nexport const q = Queue;\n",
        'src/store/redis.ts': "import { Redis } from 'ioredis';\nexport const r = Redis;\n",
        'src/turns/durable/queue.ts': "import { Queue } from 'bullmq';\nexport const q = Queue;\n",
      }),
    ).toEqual([
      'no-redis-outside-store-and-durable: src/composio/cache.ts → ioredis',
      'no-redis-outside-store-and-durable: src/turns/queue.ts → bullmq',
    ]);
  });

  it('finds an import cycle, type-only imports included', async () => {
    expect(
      await violationsIn({
        'src/turns/run.ts':
          "import { advance } from './advance.js';\nexport const run = advance;\n",
        'src/turns/advance.ts':
          "import type { run } from './run.js';\nexport const advance = 1;\nexport type Run = typeof run;\n",
      }),
    ).toEqual(['no-cycles: src/turns/advance.ts → src/turns/run.ts → src/turns/advance.ts']);
  });

  it('a lower room never imports a higher one', async () => {
    expect(
      await violationsIn({
        'src/agent/loop.ts':
          "import { turn } from '../turns/turn.js';\nexport const loop = turn;\n",
        'src/store/kv.ts': "import { log } from '../logger.js';\nexport const kv = log;\n",
        'src/turns/turn.ts': "import { kv } from '../store/kv.js';\nexport const turn = kv;\n",
        'src/logger.ts': "import { app } from './application.js';\nexport const log = app;\n",
        'src/application.ts': 'export const app = 1;\n',
      }),
    ).toEqual([
      'no-upward-import-from-agent: src/agent/loop.ts → src/turns/turn.ts',
      'no-upward-import-from-config-logger-errors: src/logger.ts → src/application.ts',
    ]);
  });

  it('every module in src/ is in a room', async () => {
    expect(
      await violationsIn({
        'src/gadgets/widget.ts':
          "import { log } from '../logger.js';\nexport const widget = log;\n",
        'src/agent/loop.ts':
          "import { widget } from '../gadgets/widget.js';\nexport const loop = widget;\n",
        'src/logger.ts': 'export const log = 1;\n',
      }),
    ).toEqual([
      'no-import-of-module-outside-the-rooms: src/agent/loop.ts → src/gadgets/widget.ts',
      'no-module-outside-the-rooms: src/gadgets/widget.ts → src/logger.ts',
    ]);
  });

  it('src/ imports nothing from test/, bench/ or scripts/', async () => {
    expect(
      await violationsIn({
        'src/agent/loop.ts':
          "import { fake } from '../../test/fake.js';\nexport const loop = fake;\n",
        'test/fake.ts': 'export const fake = 1;\n',
      }),
    ).toEqual(['no-test-bench-or-scripts-in-src: src/agent/loop.ts → test/fake.ts']);
  });

  it('src/ imports no devDependency and no package missing from package.json', async () => {
    expect(
      await violationsIn({
        'src/agent/yaml.ts': "import { parse } from 'yaml';\nexport const p = parse;\n",
        'src/agent/pino-std.ts':
          "import { stdSerializers } from 'pino-std-serializers';\n" +
          'export const s = stdSerializers;\n',
      }),
    ).toEqual([
      'no-dev-dependency-in-src: src/agent/yaml.ts → yaml',
      'no-package-missing-from-package-json: src/agent/pino-std.ts → pino-std-serializers',
    ]);
  });

  it('finds unresolvable imports and orphans', async () => {
    expect(
      await violationsIn({
        'src/agent/loop.ts': "import { gone } from './moved-away.js';\nexport const loop = gone;\n",
        'src/agent/unused.ts': 'export const unused = 1;\n',
      }),
    ).toEqual([
      'no-orphans: src/agent/unused.ts → src/agent/unused.ts',
      'no-unresolvable-import: src/agent/loop.ts → ./moved-away.js',
    ]);
  });

  it('the real src/ keeps every rule', async () => {
    expect(await violations(repo)).toEqual([]);
  });
});
