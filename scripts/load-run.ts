/**
 * A bounded load run of durable turns (loopback only): two app processes on one private Redis,
 * many threads, injected Slack retries, and one instance SIGKILLed mid-run and restarted.
 * Checks that every turn is answered exactly once, no write is repeated, and every thread's
 * history is complete and in order; prints the figures and recovery times.
 *
 *   npx tsx scripts/load-run.ts [--threads 50] [--per-thread 10] [--retry-share 0.2] [--no-kill]
 */
import { parseArgs } from 'node:util';
import { runLoad } from './load-core.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '50' },
    'per-thread': { type: 'string', default: '10' },
    'retry-share': { type: 'string', default: '0.2' },
    'no-kill': { type: 'boolean', default: false },
    'timeout-s': { type: 'string', default: '300' },
  },
});
const { figures, problems } = await runLoad({
  threads: Number(values.threads),
  perThread: Number(values['per-thread']),
  retryShare: Number(values['retry-share']),
  kill: !values['no-kill'],
  timeoutMs: Number(values['timeout-s']) * 1000,
});
console.table(figures);
console.log(
  JSON.stringify({ ok: problems.length === 0, figures, problems: problems.slice(0, 20) }, null, 2),
);
process.exit(problems.length ? 1 : 0);
