import {
  type Attributes,
  context,
  type Link,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/** Where traces go; without `tracesUrl` tracing is off and every span is a no-op. */
export interface TracingOptions {
  tracesUrl?: string;
  serviceName: string;
}

/** One app instance's tracer, and how to flush it at shutdown. */
export interface Tracing {
  tracer: Tracer;
  /** Sends the spans still buffered, then stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Our own tracer provider (not registered as the global one, so a library's own
 * instrumentation sends nothing), exporting OTLP/HTTP JSON in batches. Spans are made around our
 * own code only: nothing patches http or undici. Off (a no-op tracer) without a traces URL.
 */
export function createTracing(options: TracingOptions): Tracing {
  if (!options.tracesUrl) {
    return { tracer: trace.getTracer('confluence-agent-off'), shutdown: async () => {} };
  }
  // Spans find their parent through async context; registering twice is refused, harmlessly.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: options.tracesUrl }) }),
    ],
  });
  return {
    tracer: provider.getTracer('confluence-agent'),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * Runs `work` in a new active span (a child of the active one, if any), ending it when the work
 * settles; a throw marks it as an error (by the error's code or class, never its message, which
 * may quote a request). Attributes must hold no message text, token or link.
 */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  links: Link[] = [],
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes, links }, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', typeof code === 'string' ? code : (err as Error).name);
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * A link to the span a W3C `traceparent` names (another trace this span continues the work of),
 * or none when there is no valid one.
 */
export function linksTo(traceparent: string | undefined): Link[] {
  const m = traceparent?.match(/^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/);
  if (!m) return [];
  const context = { traceId: m[1]!, spanId: m[2]!, traceFlags: Number.parseInt(m[3]!, 16) };
  return trace.isSpanContextValid(context) ? [{ context: { ...context, isRemote: true } }] : [];
}

/** The active span's context as a W3C `traceparent`, to carry in a queued job's data. */
export function currentTraceParent(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-0${span.traceFlags.toString(16)}`;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Runs `work` with a carried `traceparent` as its parent (W3C Trace Context), if valid. */
export function withTraceParent<T>(traceparent: string | undefined, work: () => T): T {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m) return work();
  const parent = trace.setSpanContext(context.active(), {
    traceId: m[1]!,
    spanId: m[2]!,
    traceFlags: Number.parseInt(m[3]!, 16),
    isRemote: true,
  });
  return context.with(parent, work);
}
