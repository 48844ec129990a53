import type { Usage } from '../../store/usage.js';

const n = (x: number) => x.toLocaleString('en-US');

/**
 * One line of `/confluence status`: the caller's tokens this month (UTC) and what they cost at
 * the configured prices, e.g. "This month: 12,345 tokens, about $0.06 (input 10,000, cache
 * read 2,000, cache write 0, output 345)".
 */
export function usageLine(usage: Usage): string {
  const t = usage.tokens;
  const total = t.input + t.cache_read + t.cache_write + t.output;
  if (!total) return '• Claude usage this month: none yet';
  const dollars = usage.dollars < 0.01 ? 'under $0.01' : `about $${usage.dollars.toFixed(2)}`;
  return `• Claude usage this month: ${n(total)} tokens, ${dollars} (input ${n(t.input)}, cache read ${n(t.cache_read)}, cache write ${n(t.cache_write)}, output ${n(t.output)})`;
}
