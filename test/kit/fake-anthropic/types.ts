import type { ServedListener } from '../fake-served.js';

/**
 * A citation a scripted text block makes: the `search_result_index`-th search result of the
 * request (counted across all its messages and tool results, as the API counts them), blocks
 * `start_block_index` (default 0) to `end_block_index` (exclusive, default start + 1). The fake
 * fills in source, title and cited_text from the request.
 */
export interface ScriptedCitation {
  search_result_index: number;
  start_block_index?: number;
  end_block_index?: number;
}

/** A content block the fake model answers with (tool_use ids default to fresh `toolu_…`). */
export type ContentBlock =
  | { type: 'text'; text: string; citations?: ScriptedCitation[] }
  | { type: 'tool_use'; id?: string; name: string; input: unknown };

/** Why the fake model stopped; the same values the Messages API reports. */
export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'
  | 'stop_sequence';

/** One scripted answer: a message, an HTTP error, or a stream that breaks after N SSE events. */
export type ModelStep =
  | { content: ContentBlock[]; stop_reason?: StopReason; delayMs?: number }
  | { error: { status: number; type?: string; message?: string; retryAfterMs?: number } }
  | { streamErrorAfter: number; content: ContentBlock[] };

/** A request the fake received: lower-cased headers and the parsed JSON body (raw text if unparseable). */
export interface RecordedRequest {
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: tests poke at arbitrary request fields.
  body: any;
  /** `name` when the caller's base URL was `<url>/via/<name>`: tells app processes apart. */
  via?: string;
}

/** Computes the answer to a request; `index` is the request's position in `FakeAnthropic.requests`. */
export type Responder = (request: RecordedRequest, index: number) => ModelStep | Promise<ModelStep>;

/** A running fake of the Anthropic Messages API, bound to 127.0.0.1. */
export interface FakeAnthropic {
  /** Base URL to pass as `baseURL` to `new Anthropic(...)`. */
  url: string;
  /** The only key the fake accepts (as `Authorization: Bearer` or `x-api-key`). */
  apiKey: string;
  /** Every request to `/v1/messages`, in arrival order (including rejected ones). */
  requests: RecordedRequest[];
  /** Queues answers, first in first out; each HTTP attempt (retries included) takes one. */
  script(...steps: ModelStep[]): void;
  /** Answers requests once the scripted queue is empty. */
  respondWith(responder: Responder): void;
  /** Delays every answer without its own `delayMs` by `ms` (0 resets): the model's latency. */
  setLatency(ms: number): void;
  /** Calls `listener` for every exchange served; returns an unsubscribe. */
  onServed(listener: ServedListener): () => void;
  /** Resolves once `requests.length >= n`; rejects after `timeoutMs` (default 5000). */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}
