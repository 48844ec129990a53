import Anthropic from '@anthropic-ai/sdk';
import type { ConversationMessage, ModelTool } from './types.js';

/** One request to the model: the stable prefix (system, tools) and the conversation. */
export interface ModelRequest {
  system: Anthropic.TextBlockParam[];
  tools: ModelTool[];
  messages: ConversationMessage[];
  maxTokens: number;
}

/** The model behind one small interface, so tests and benchmarks can swap it. */
export interface ModelClient {
  /** Streams one response; `onText` sees each text delta as it arrives. */
  respond(request: ModelRequest, onText?: (delta: string) => void): Promise<Anthropic.Message>;
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
    maxRetries: options.maxRetries ?? 3,
    timeout: options.timeoutMs ?? 120_000,
  });
  return {
    async respond(request, onText) {
      const stream = client.messages.stream({
        model: options.model,
        max_tokens: request.maxTokens,
        system: request.system,
        tools: request.tools,
        messages: request.messages,
      });
      if (onText) stream.on('text', (delta) => onText(delta));
      return stream.finalMessage();
    },
  };
}
