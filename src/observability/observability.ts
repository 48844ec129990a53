import type { Tracer } from '@opentelemetry/api';
import { createMetrics, type Metrics } from './metrics.js';
import { createTracing } from './tracing.js';

/** One app instance's metrics and tracer, handed to every part that reports. */
export interface Observability {
  metrics: Metrics;
  tracer: Tracer;
}

/** Fresh metrics and a no-op tracer: for the terminal chat, and parts built without the app. */
export function quietObservability(): Observability {
  return { metrics: createMetrics(), tracer: createTracing({ serviceName: 'unused' }).tracer };
}
