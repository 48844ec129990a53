import {
  type WebAPICallResult,
  WebClient,
  WebClientEvent,
  type WebClientOptions,
} from '@slack/web-api';
import type { Observability } from '../../observability/observability.js';
import { inSpan } from '../../observability/tracing.js';

// Slack's method names (chat.postMessage, conversations.replies): anything else is counted as
// `other`, so the label stays bounded whatever a caller passes.
const METHOD = /^[a-z]+(\.[a-zA-Z]+){1,3}$/;
const methodLabel = (method: string) => (METHOD.test(method) ? method : 'other');

/**
 * A WebClient whose every Web API call is counted (by method and outcome) and traced (a
 * `slack.api` span naming the method, never the arguments). Every named method
 * (`chat.postMessage`, …) goes through `apiCall` (bindApiCall in @slack/web-api's methods.js),
 * so overriding it sees them all without patching the SDK. A 429 answer counts as
 * `rate_limited` when it arrives (the SDK's `rate_limited` event, WebClient.js), besides the
 * call's final outcome once the SDK has waited and retried.
 */
export class ObservedWebClient extends WebClient {
  readonly #o: Observability;

  constructor(token: string | undefined, options: WebClientOptions, o: Observability) {
    super(token, options);
    this.#o = o;
    this.on(WebClientEvent.RATE_LIMITED, (_retrySec: number, { url }: { url: string }) => {
      const method = methodLabel(new URL(url, 'https://slack.invalid/').pathname.split('/').pop()!);
      o.metrics.slackCalls.inc({ method, outcome: 'rate_limited' });
    });
  }

  override apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    const label = methodLabel(method);
    return inSpan(this.#o.tracer, 'slack.api', { 'slack.method': label }, async () => {
      try {
        const result = await super.apiCall(method, options);
        this.#o.metrics.slackCalls.inc({ method: label, outcome: 'ok' });
        return result;
      } catch (err) {
        const limited = (err as { code?: string }).code === 'slack_webapi_rate_limited_error';
        this.#o.metrics.slackCalls.inc({
          method: label,
          outcome: limited ? 'rate_limited' : 'error',
        });
        throw err;
      }
    });
  }
}
