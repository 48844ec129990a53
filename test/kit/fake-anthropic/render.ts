// Wire shapes of a Messages API answer, JSON and SSE:
// https://docs.claude.com/en/docs/build-with-claude/streaming
import { resolveCitation, searchResultsOf, type WireCitation } from './citations.js';
import { newId } from './ids.js';
import type { ContentBlock, StopReason } from './types.js';
import { estimateTokens, type InputUsage, type WireUsage } from './usage.js';

type WireBlock =
  | { type: 'text'; text: string; citations: WireCitation[] | null }
  | { type: 'tool_use'; id: string; name: string; input: unknown; caller: { type: 'direct' } };

/** A complete `type: 'message'` response body. */
export interface WireMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: WireBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  stop_details: null;
  container: null;
  diagnostics: null;
  usage: WireUsage;
}

/** One server-sent event. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** Builds the message the fake answers with, assigning ids and the default stop reason. */
export function buildMessage(
  content: ContentBlock[],
  stopReason: StopReason | undefined,
  // biome-ignore lint/suspicious/noExplicitAny: the request body is untyped JSON.
  body: any,
  input: InputUsage,
): WireMessage {
  const results = searchResultsOf(body);
  const blocks = content.map((block) => toWireBlock(block, results));
  const stop = stopReason ?? (blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model: String(body.model),
    content: blocks,
    stop_reason: stop,
    stop_sequence: stop === 'stop_sequence' ? (body.stop_sequences?.[0] ?? null) : null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      ...input,
      output_tokens: Math.max(1, estimateTokens(JSON.stringify(blocks).length)),
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
    },
  };
}

/** The SSE events that stream `message`, in the order the API sends them. */
export function streamEvents(message: WireMessage): SseEvent[] {
  const { usage } = message;
  const events: SseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  message.content.forEach((block, index) => {
    // A cited text block starts with no citations; each arrives as a `citations_delta` (one
    // citation each, CitationsDelta in the SDK), which the SDK's MessageStream appends to the
    // block's `citations`, then the text follows as `text_delta`s.
    const start =
      block.type === 'text'
        ? { ...block, text: '', citations: block.citations ? [] : null }
        : { ...block, input: {} };
    events.push(sse('content_block_start', { index, content_block: start }));
    const deltas =
      block.type === 'text'
        ? [
            ...(block.citations ?? []).map((citation) => ({ type: 'citations_delta', citation })),
            ...chunks(block.text).map((t) => ({ type: 'text_delta', text: t })),
          ]
        : chunks(JSON.stringify(block.input)).map((p) => ({
            type: 'input_json_delta',
            partial_json: p,
          }));
    for (const delta of deltas) events.push(sse('content_block_delta', { index, delta }));
    events.push(sse('content_block_stop', { index }));
  });
  events.push(
    sse('message_delta', {
      delta: {
        stop_reason: message.stop_reason,
        stop_sequence: message.stop_sequence,
        stop_details: null,
        container: null,
      },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
        server_tool_use: null,
      },
    }),
    sse('message_stop', {}),
  );
  return events;
}

/** Serialises one event; every frame carries an `event:` line, as the SDK requires. */
export function formatSse({ event, data }: SseEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function sse(event: string, fields: Record<string, unknown>): SseEvent {
  return { event, data: { type: event, ...fields } };
}

function toWireBlock(block: ContentBlock, results: ReturnType<typeof searchResultsOf>): WireBlock {
  if (block.type === 'text') {
    if (!block.citations?.length) return { type: 'text', text: block.text, citations: null };
    const citations = block.citations.map((c) => {
      const resolved = resolveCitation(c, results);
      if (typeof resolved === 'string') throw new Error(resolved);
      return resolved;
    });
    return { type: 'text', text: block.text, citations };
  }
  return {
    type: 'tool_use',
    id: block.id ?? newId('toolu'),
    name: block.name,
    input: block.input ?? {},
    caller: { type: 'direct' },
  };
}

/** Splits text into up to `parts` pieces on code-point boundaries (never an empty piece). */
function chunks(value: string, parts = 3): string[] {
  const points = Array.from(value);
  const size = Math.max(1, Math.ceil(points.length / parts));
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(''));
  return out;
}
