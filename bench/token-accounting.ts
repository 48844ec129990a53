import { createCacheLedger, estimateTokens } from '../test/kit/fake-anthropic/usage.js';

// biome-ignore lint/suspicious/noExplicitAny: recorded request bodies are free-form JSON.
type Body = any;

/** The input side of one model request, in the fake's token estimate (characters / 4). */
export interface RequestTokens {
  input: number;
  /** Tokens of the cache-eligible prefix (tools and system up to the last breakpoint). */
  prefix: number;
  /** Share of the input that is a cache-eligible prefix identical to the previous request's. */
  reusedPrefixShare: number;
  /** Share billed as a cache read, replaying the requests through the fake's cache ledger. */
  cacheReadShare: number;
  /** Tokens of the messages before the newest one (the stored history sent). */
  history: number;
  /** Share of the input that repeats the previous request's from its start, byte for byte. */
  repeatedShare: number;
}

const tokensOf = (value: unknown) => estimateTokens(JSON.stringify(value ?? null).length);
const hasBreakpoint = (block: Body) => Boolean(block?.cache_control);

/** The tools and system blocks up to the last cache breakpoint; undefined when there is none. */
export function cachedPrefix(body: Body): { tools: unknown[]; system: unknown[] } | undefined {
  const tools: Body[] = Array.isArray(body.tools) ? body.tools : [];
  const system: Body[] = Array.isArray(body.system)
    ? body.system
    : body.system
      ? [{ type: 'text', text: body.system }]
      : [];
  const lastSystem = system.findLastIndex(hasBreakpoint);
  if (lastSystem >= 0) return { tools, system: system.slice(0, lastSystem + 1) };
  const lastTool = tools.findLastIndex(hasBreakpoint);
  return lastTool >= 0 ? { tools: tools.slice(0, lastTool + 1), system: [] } : undefined;
}

/** The cache-eligible prefix as JSON; without breakpoints, the tools and whole system prompt. */
export const prefixKey = (body: Body): string =>
  JSON.stringify(cachedPrefix(body) ?? { tools: body.tools ?? [], system: body.system ?? null });

/** The prompt in cache order (tools, system, messages), breakpoints left out, as JSON. */
function promptText(body: Body): string {
  return JSON.stringify([body.tools ?? [], body.system ?? null, body.messages ?? []], (key, v) =>
    key === 'cache_control' ? undefined : v,
  );
}

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Accounts a sequence of requests (one thread, in order). */
export function accountRequests(bodies: readonly Body[]): RequestTokens[] {
  const ledger = createCacheLedger();
  let previous: string | undefined;
  let previousText = '';
  return bodies.map((body) => {
    const text = promptText(body);
    const repeated = commonPrefixLength(previousText, text) / text.length;
    previousText = text;
    const input = tokensOf({ system: body.system, tools: body.tools, messages: body.messages });
    const eligible = cachedPrefix(body);
    const json = eligible ? JSON.stringify(eligible) : undefined;
    const prefix = eligible ? tokensOf(eligible) : 0;
    const reused = json !== undefined && json === previous;
    previous = json;
    const usage = ledger.account(body);
    const messages: unknown[] = Array.isArray(body.messages) ? body.messages : [];
    return {
      input,
      prefix,
      reusedPrefixShare: reused ? Math.min(1, prefix / input) : 0,
      cacheReadShare: usage.cache_read_input_tokens / input,
      history: tokensOf(messages.slice(0, -1)),
      repeatedShare: repeated,
    };
  });
}
