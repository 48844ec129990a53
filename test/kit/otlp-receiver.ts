/**
 * An in-process OTLP/HTTP trace receiver on 127.0.0.1: takes the JSON the app's exporter sends
 * to `/v1/traces` (ExportTraceServiceRequest, ids as hex strings, as
 * @opentelemetry/otlp-transformer's JsonTraceSerializer writes them) and keeps every span.
 * https://opentelemetry.io/docs/specs/otlp/#otlphttp
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One received span, flattened: attribute values as plain JSON values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
}

/** A running receiver. */
export interface OtlpReceiver {
  /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  /** Raw request bodies, for checks on everything sent. */
  bodies: string[];
  close(): Promise<void>;
}

type AnyValue = Record<string, unknown>;
const plainValue = (v: AnyValue): unknown =>
  v.stringValue ??
  v.boolValue ??
  v.intValue ??
  v.doubleValue ??
  (v.arrayValue as { values?: AnyValue[] } | undefined)?.values?.map(plainValue);

/** Starts the receiver on a random port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      const parsed = JSON.parse(body) as {
        resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }>;
      };
      for (const rs of parsed.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? []) {
            spans.push({
              traceId: String(s.traceId),
              spanId: String(s.spanId),
              parentSpanId: (s.parentSpanId as string | undefined) || undefined,
              name: String(s.name),
              attributes: Object.fromEntries(
                ((s.attributes as Array<{ key: string; value: AnyValue }>) ?? []).map((a) => [
                  a.key,
                  plainValue(a.value),
                ]),
              ),
              links: ((s.links as Array<{ traceId: string; spanId: string }>) ?? []).map((l) => ({
                traceId: l.traceId,
                spanId: l.spanId,
              })),
            });
          }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
