/**
 * docs/grafana-dashboard.json: every query names only metrics the app exports (read from a
 * running app's `/metrics`, with Redis, so the queue series are there too).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../kit/harness.js';
import { scrape } from '../kit/prometheus.js';

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
) as { panels: Panel[] };

// PromQL's own words in the dashboard's queries: aggregations, functions, modifiers.
const PROMQL = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'by',
  'without',
  'on',
  'ignoring',
  'and',
  'or',
  'unless',
]);

/** The metric names a query reads: what is left once labels, ranges, variables and PromQL go. */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ') // grouping labels
    .replace(/\$\w+/g, ' ') // dashboard variables
    .replace(/\b\d+(\.\d+)?(e\d+)?\b/g, ' '); // numbers
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((m) => m[0])
    .filter((word) => !PROMQL.has(word));
}

describe('the Grafana dashboard', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it('queries only metrics the app exports, in every panel', async () => {
    const exported = (await scrape(h.baseUrl)).types;
    const known = (name: string) => {
      if (exported.has(name)) return true;
      const base = name.replace(/_(bucket|sum|count)$/, '');
      return base !== name && exported.get(base) === 'histogram';
    };
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets ?? []) {
        const names = metricNamesIn(expr);
        expect(names.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        for (const name of names) expect(known(name), `${panel.title}: ${name}`).toBe(true);
      }
    }
  });

  it('reads a misspelt metric as unknown (the check above can fail)', () => {
    expect(
      metricNamesIn('sum by (kind) (rate(confluence_agent_model_tokenz_total{kind="x"}[5m]))'),
    ).toEqual(['confluence_agent_model_tokenz_total']);
  });
});
