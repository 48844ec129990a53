import type Anthropic from '@anthropic-ai/sdk';
import { secondsSince, type TokenKind } from '../observability/metrics.js';
import type { Observability } from '../observability/observability.js';
import { inSpan } from '../observability/tracing.js';
import type { ModelClient } from './model-client.js';

/** The tokens of one response, by the kinds Anthropic bills apart. */
export type TokenUsage = Record<TokenKind, number>;

/** A response's usage as Anthropic bills it (cache fields are null when caching did not apply). */
export function usageOf(message: Anthropic.Message): TokenUsage {
  const u = message.usage;
  return {
    input: u.input_tokens ?? 0,
    cache_read: u.cache_read_input_tokens ?? 0,
    cache_write: u.cache_creation_input_tokens ?? 0,
    output: u.output_tokens ?? 0,
  };
}

/**
 * The model client, counted and traced: each request is a `model.request` span (its stop
 * reason and token counts as attributes, never the text) and counts in the request, latency
 * and token metrics.
 */
export function observeModel(model: ModelClient, o: Observability): ModelClient {
  const { metrics } = o;
  return {
    respond(request, onText, onCitations) {
      const started = Date.now();
      return inSpan(o.tracer, 'model.request', { 'gen_ai.system': 'anthropic' }, async (span) => {
        try {
          const message = await model.respond(request, onText, onCitations);
          const usage = usageOf(message);
          const stop = message.stop_reason ?? 'none';
          metrics.modelRequests.inc({ outcome: 'ok', stop_reason: stop });
          metrics.modelDuration.observe({ outcome: 'ok' }, secondsSince(started));
          for (const [kind, n] of Object.entries(usage)) {
            if (n) metrics.tokens.inc({ kind }, n);
          }
          span.setAttributes({
            'gen_ai.response.finish_reasons': [stop],
            'gen_ai.usage.input_tokens': usage.input,
            'gen_ai.usage.output_tokens': usage.output,
            'gen_ai.usage.cache_read_input_tokens': usage.cache_read,
            'gen_ai.usage.cache_creation_input_tokens': usage.cache_write,
          });
          return message;
        } catch (err) {
          metrics.modelRequests.inc({ outcome: 'error', stop_reason: 'none' });
          metrics.modelDuration.observe({ outcome: 'error' }, secondsSince(started));
          throw err;
        }
      });
    },
  };
}

/** The model client of one turn, reporting each response's usage (for the per-user figures). */
export function withUsageReport(
  model: ModelClient,
  report: (usage: TokenUsage) => void,
): ModelClient {
  return {
    async respond(request, onText, onCitations) {
      const message = await model.respond(request, onText, onCitations);
      report(usageOf(message));
      return message;
    },
  };
}
