/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests of `/metrics`:
 * every sample must belong to a family announced by `# HELP` and `# TYPE` before it.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
import { Registry } from 'prom-client';

/** One sample line: metric name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The parsed exposition: families by name (with their type) and every sample. */
export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
  /** The value of the sample with exactly these labels (0 when absent). */
  value(name: string, labels?: Record<string, string>): number;
  /** The sum of every sample of `name` whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

/** prom-client's own content type for the text format. */
export const PROMETHEUS_CONTENT_TYPE = new Registry().contentType;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

/** Parses `text`; throws on a line that is not valid exposition or a sample of no family. */
export function parsePrometheus(text: string): Exposition {
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') types.set(meta[2]!, meta[3]!);
      else helped.add(meta[2]!);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const [, name, rawLabels, rawValue] = m;
    const family = types.has(name!)
      ? name!
      : SUFFIXES.map((s) => name!.slice(0, -s.length)).find(
          (base, i) => name!.endsWith(SUFFIXES[i]!) && types.has(base),
        );
    if (!family || !helped.has(family)) throw new Error(`sample of no announced family: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (rawLabels ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    // Prometheus reads values with Go's ParseFloat: NaN in any case, +Inf, -Inf.
    const value = Number(rawValue);
    if (Number.isNaN(value) && !/^nan$/i.test(rawValue!)) throw new Error(`bad value: ${line}`);
    samples.push({ name: name!, labels, value });
  }
  const matches = (s: Sample, name: string, labels: Record<string, string>) =>
    s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v);
  return {
    types,
    samples,
    value(name, labels = {}) {
      const want = Object.keys(labels).length;
      const found = samples.find(
        (s) => matches(s, name, labels) && Object.keys(s.labels).length === want,
      );
      return found?.value ?? 0;
    },
    sum: (name, labels = {}) =>
      samples.filter((s) => matches(s, name, labels)).reduce((n, s) => n + s.value, 0),
  };
}

/** Fetches and parses `/metrics` at `baseUrl`, checking prom-client's content type. */
export async function scrape(baseUrl: string): Promise<Exposition> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const type = res.headers.get('content-type');
  if (type !== PROMETHEUS_CONTENT_TYPE) throw new Error(`/metrics content type ${type}`);
  return parsePrometheus(await res.text());
}
