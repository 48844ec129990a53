import { createHash } from 'node:crypto';

/** The `usage` object of a Messages API response. */
export interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  inference_geo: null;
  output_tokens_details: null;
  server_tool_use: null;
  service_tier: 'standard';
}

/** Input-side usage for one request (output tokens are added once the answer is known). */
export type InputUsage = Pick<
  WireUsage,
  'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens' | 'cache_creation'
>;

/** Remembers cached prompt prefixes across requests and splits input tokens accordingly. */
export interface CacheLedger {
  account(body: Record<string, unknown>): InputUsage;
}

// The API looks back this many blocks from each breakpoint for an earlier cache entry.
// https://docs.claude.com/en/docs/build-with-claude/prompt-caching
const LOOKBACK_BLOCKS = 20;

interface Segment {
  json: string;
  cacheControl?: { ttl?: string } | undefined;
}

/** The fake's token estimate: a quarter of the characters, rounded up. */
export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

/** Starts an empty prompt cache. */
export function createCacheLedger(): CacheLedger {
  const written = new Set<string>();
  return {
    account(body) {
      const total = estimateTokens(
        JSON.stringify({ system: body.system, tools: body.tools, messages: body.messages }).length,
      );
      const segments = promptSegments(body);
      const breakpoints = segments.flatMap((s, i) => (s.cacheControl ? [i] : []));
      const last = breakpoints.at(-1);
      if (last === undefined) return split(total, 0, 0, false);

      // Chain hashes so each prefix costs O(its last segment), not O(prefix).
      const hashes: string[] = [];
      const chars: number[] = [];
      let hash = createHash('sha256').update(String(body.model)).digest('hex');
      let length = 0;
      for (const segment of segments.slice(0, last + 1)) {
        hash = createHash('sha256').update(hash).update(segment.json).digest('hex');
        length += segment.json.length + 1;
        hashes.push(hash);
        chars.push(length);
      }
      const tokensAt = (i: number) => Math.min(total, estimateTokens(chars[i] ?? 0));

      let hit = -1;
      for (const b of [...breakpoints].reverse()) {
        for (let i = b; i >= Math.max(0, b - LOOKBACK_BLOCKS + 1) && i > hit; i--) {
          if (written.has(hashes[i] ?? '')) hit = i;
        }
      }
      for (const b of breakpoints) written.add(hashes[b] ?? '');

      const read = hit >= 0 ? tokensAt(hit) : 0;
      const cached = tokensAt(last);
      const oneHour = segments[last]?.cacheControl?.ttl === '1h';
      return split(total - cached, cached - read, read, oneHour);
    },
  };
}

function split(input: number, creation: number, read: number, oneHour: boolean): InputUsage {
  return {
    input_tokens: input,
    cache_creation_input_tokens: creation,
    cache_read_input_tokens: read,
    cache_creation: {
      ephemeral_5m_input_tokens: oneHour ? 0 : creation,
      ephemeral_1h_input_tokens: oneHour ? creation : 0,
    },
  };
}

/** The prompt in cache order (tools → system → messages), one entry per block. */
function promptSegments(body: Record<string, unknown>): Segment[] {
  const out: Segment[] = [];
  const push = (tag: unknown[], block: unknown) => {
    if (block !== null && typeof block === 'object' && !Array.isArray(block)) {
      const { cache_control, ...rest } = block as Record<string, unknown>;
      // Breakpoints mark where to cache; they are not part of the cached content.
      out.push({
        json: JSON.stringify([...tag, rest]),
        cacheControl: cache_control as Segment['cacheControl'],
      });
    } else {
      out.push({ json: JSON.stringify([...tag, block]) });
    }
  };
  for (const tool of asArray(body.tools)) push(['tool'], tool);
  if (Array.isArray(body.system)) for (const block of body.system) push(['system'], block);
  else if (body.system !== undefined) push(['system'], body.system);
  asArray(body.messages).forEach((message, m) => {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    if (Array.isArray(content)) for (const block of content) push(['message', m, role], block);
    else push(['message', m, role], content);
  });
  return out;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
