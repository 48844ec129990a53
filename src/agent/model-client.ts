import Anthropic from '@anthropic-ai/sdk';
import { CodedError } from '../errors.js';
import type { ConversationMessage, ModelTool } from './types.js';

// Three retries with the SDK's backoff (retry-after honoured) ride out a brief 429/529 burst
// while the user is still watching the status line; longer outages get a clear reply instead.
const MAX_RETRIES = 3;
// Per attempt, until the response starts (the stream then takes as long as it needs): two minutes
// without even the headers is a hang, not a long answer (the SDK would wait ten).
const TIMEOUT_MS = 120_000;
// The 4xx statuses the SDK retries (besides 5xx): still there after the retries, Anthropic is busy.
const BUSY_STATUSES = [408, 409, 429];

/** One request to the model: the stable prefix (system, tools) and the conversation. */
export interface ModelRequest {
  system: Anthropic.TextBlockParam[];
  tools: ModelTool[];
  messages: ConversationMessage[];
  maxTokens: number;
}

/** The model behind one small interface, so tests and benchmarks can swap it. */
export interface ModelClient {
  /**
   * Streams one response; `onText` sees each text delta as it arrives. A failure of the model
   * service (after retries) is a CodedError `model_unavailable`; anything else is a bug of ours.
   * `onCitations` sees the citations of each text block that has some, once the block ends
   * (they stream as `citations_delta` events beside its text deltas).
   */
  respond(
    request: ModelRequest,
    onText?: (delta: string) => void,
    onCitations?: (citations: Anthropic.TextCitation[]) => void,
  ): Promise<Anthropic.Message>;
}

/** Options for {@link createAnthropicModel}. */
export interface AnthropicModelOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** SDK retries on 408/409/429/5xx (529 included), with backoff and retry-after honoured. */
  maxRetries?: number;
  timeoutMs?: number;
}

/** ModelClient over the Anthropic Messages API (streaming). */
export function createAnthropicModel(options: AnthropicModelOptions): ModelClient {
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? null,
    maxRetries: options.maxRetries ?? MAX_RETRIES,
    timeout: options.timeoutMs ?? TIMEOUT_MS,
    // The SDK's own spans would go to OpenTelemetry's global provider, which this app never
    // registers (src/observability/tracing.ts keeps its provider to itself), so they would never
    // record: building them is work for nothing on every request. Our `model.request` span
    // (observed-model.ts) covers the call.
    openTelemetry: false,
  });
  return {
    async respond(request, onText, onCitations) {
      const stream = client.messages.stream({
        model: options.model,
        max_tokens: request.maxTokens,
        system: request.system,
        tools: request.tools,
        messages: request.messages,
      });
      // The SDK reports a throw from a listener as a stream error: keep ours apart, so a bug in
      // the caller's callback is not blamed on the model.
      let callbackError: { err: unknown } | undefined;
      const guarded =
        <A>(callback: (arg: A) => void) =>
        (arg: A) => {
          if (callbackError) return;
          try {
            callback(arg);
          } catch (err) {
            callbackError = { err };
            stream.abort();
          }
        };
      if (onText) stream.on('text', guarded(onText));
      if (onCitations) {
        // 'contentBlock' fires at content_block_stop with the block as accumulated, its
        // citations_delta events gathered into `citations` (lib/MessageStream in the SDK).
        const cited = guarded(onCitations);
        stream.on('contentBlock', (block) => {
          if (block.type === 'text' && block.citations?.length) cited(block.citations);
        });
      }
      try {
        return await stream.finalMessage();
      } catch (err) {
        if (callbackError) throw callbackError.err;
        throw asModelError(err);
      }
    },
  };
}

/**
 * Anthropic's own failures (an HTTP error once the retries are spent, a lost connection, a stream
 * that broke) become `model_unavailable`; a request Anthropic refuses as malformed or
 * unauthorised (other 4xx) is our fault, so it stays `internal`.
 */
function asModelError(err: unknown): unknown {
  if (!(err instanceof Anthropic.AnthropicError)) return err;
  const status = err instanceof Anthropic.APIError ? err.status : undefined;
  const theirs = status === undefined || status >= 500 || BUSY_STATUSES.includes(status);
  return new CodedError(
    theirs ? 'model_unavailable' : 'internal',
    `model call failed: ${err.message}`,
    { cause: err },
  );
}
