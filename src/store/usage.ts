import type { TokenPrices } from '../config.js';
import { type Keys, TTL } from './keys.js';
import type { KeyValueStore, KvWrite } from './kv.js';

/** The token kinds Anthropic bills apart. */
export const TOKEN_KINDS = ['input', 'cache_read', 'cache_write', 'output'] as const;

/** Tokens by kind. */
export type Tokens = Record<(typeof TOKEN_KINDS)[number], number>;

/** One person's usage over a period: tokens by kind, and what they cost (US dollars). */
export interface Usage {
  tokens: Tokens;
  dollars: number;
}

/** Per Composio user and per UTC day, in the store (Redis, or in-process without it). */
export interface UsageStore {
  /** Adds tokens to the person's tally for today (all kinds in one transaction). */
  add(composioUserId: string, tokens: Tokens): Promise<void>;
  /** The writes that `add` makes, for a caller that applies them with others in one transaction. */
  writesFor(composioUserId: string, tokens: Tokens): KvWrite[];
  /** The person's usage from the first of `now`'s month (UTC) to `now`. */
  monthOf(composioUserId: string, now?: Date): Promise<Usage>;
  /** The heaviest users this month, by cost, at most `limit`. */
  top(limit: number, now?: Date): Promise<Array<Usage & { composioUserId: string }>>;
}

const PRICE_OF: Record<keyof Tokens, keyof TokenPrices> = {
  input: 'input',
  cache_read: 'cacheRead',
  cache_write: 'cacheWrite',
  output: 'output',
};

/** What `tokens` cost at `prices` (per million tokens). */
export function dollarsFor(tokens: Tokens, prices: TokenPrices): number {
  return TOKEN_KINDS.reduce((sum, k) => sum + (tokens[k] * prices[PRICE_OF[k]]) / 1_000_000, 0);
}

const noTokens = (): Tokens => ({ input: 0, cache_read: 0, cache_write: 0, output: 0 });

/** `total` with `more` added, kind by kind (a new object; `total` may be absent). */
export function addTokens(total: Tokens | undefined, more: Tokens): Tokens {
  const sum = { ...(total ?? noTokens()) };
  for (const k of TOKEN_KINDS) sum[k] += more[k];
  return sum;
}

/** The UTC days of `now`'s month up to `now`, as YYYY-MM-DD. */
export function daysOfMonth(now: Date): string[] {
  const month = now.toISOString().slice(0, 8);
  return Array.from(
    { length: now.getUTCDate() },
    (_, i) => `${month}${String(i + 1).padStart(2, '0')}`,
  );
}

/** Creates the usage store over `kv`; figures are priced at `prices`. */
export function createUsageStore(
  kv: KeyValueStore,
  keys: Keys,
  prices: TokenPrices,
  clock: () => Date = () => new Date(),
): UsageStore {
  const writesFor = (composioUserId: string, tokens: Tokens): KvWrite[] => {
    const day = clock().toISOString().slice(0, 10);
    return TOKEN_KINDS.filter((k) => tokens[k] > 0).map((k) => ({
      key: keys.usage(day, k),
      member: composioUserId,
      add: tokens[k],
      ttlSeconds: TTL.usage,
    }));
  };
  return {
    writesFor,
    async add(composioUserId, tokens) {
      await kv.writeAll(writesFor(composioUserId, tokens));
    },
    async monthOf(composioUserId, now = clock()) {
      const tokens = noTokens();
      const reads = daysOfMonth(now).flatMap((day) =>
        TOKEN_KINDS.map(async (k) => {
          const n = await kv.scoreOf(keys.usage(day, k), composioUserId);
          tokens[k] += n;
        }),
      );
      await Promise.all(reads);
      return { tokens, dollars: dollarsFor(tokens, prices) };
    },
    async top(limit, now = clock()) {
      const byUser = new Map<string, Tokens>();
      const reads = daysOfMonth(now).flatMap((day) =>
        TOKEN_KINDS.map(async (k) => {
          for (const [user, n] of Object.entries(await kv.scores(keys.usage(day, k)))) {
            const tokens = byUser.get(user) ?? noTokens();
            tokens[k] += n;
            byUser.set(user, tokens);
          }
        }),
      );
      await Promise.all(reads);
      return [...byUser]
        .map(([composioUserId, tokens]) => ({
          composioUserId,
          tokens,
          dollars: dollarsFor(tokens, prices),
        }))
        .sort((a, b) => b.dollars - a.dollars)
        .slice(0, limit);
    },
  };
}
