import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';

/** Every metric of ours starts with this (the process metrics keep prom-client's names). */
export const METRIC_PREFIX = 'confluence_agent_';

// Seconds. A turn runs from a second (a short answer) to minutes (many tool calls, a long
// thread read in parts); a model call from under a second to a couple of minutes.
const TURN_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];
const FIRST_SIGN_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];
const CALL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

/** How a turn ended (a label value of `confluence_agent_turns_total`). */
export type TurnOutcome =
  | 'answered'
  | 'failed'
  | 'refused'
  | 'denied'
  | 'awaiting_approval'
  | 'taken_over';

/** How a tool call ended: `in_doubt` is a write that may have run before a crash (not re-run). */
export type ToolOutcome = 'ok' | 'error' | 'timeout' | 'in_doubt';

/** The token kinds Anthropic bills apart (the `kind` label of the token counter). */
export type TokenKind = 'input' | 'cache_read' | 'cache_write' | 'output';

/**
 * One process's metrics: prom-client's registry with its default process metrics, our own
 * instruments, and a way for any module to add its own (`counter`, `gauge`, `histogram`: a
 * metric of that name already there is returned, so a module may ask again safely). Label values
 * must come from small fixed sets: never a user, thread or message id.
 */
export interface Metrics {
  registry: Registry;
  counter<L extends string>(config: CounterConfiguration<L>): Counter<L>;
  gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L>;
  histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L>;
  turns: Counter<'surface' | 'outcome'>;
  turnDuration: Histogram<'surface'>;
  firstSign: Histogram<'surface'>;
  modelRequests: Counter<'outcome' | 'stop_reason'>;
  modelDuration: Histogram<'outcome'>;
  tokens: Counter<'kind'>;
  toolCalls: Counter<'tool' | 'outcome'>;
  toolDuration: Histogram<'tool'>;
  slackCalls: Counter<'method' | 'outcome'>;
  slowAcks: Counter<'kind'>;
  stalls: Counter;
}

/** A fresh registry with the default process metrics and ours (one per app instance). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const find = (name: string) => registry.getSingleMetric(name);
  const counter = <L extends string>(config: CounterConfiguration<L>) =>
    (find(config.name) as Counter<L> | undefined) ??
    new Counter<L>({ ...config, registers: [registry] });
  const gauge = <L extends string>(config: GaugeConfiguration<L>) =>
    (find(config.name) as Gauge<L> | undefined) ??
    new Gauge<L>({ ...config, registers: [registry] });
  const histogram = <L extends string>(config: HistogramConfiguration<L>) =>
    (find(config.name) as Histogram<L> | undefined) ??
    new Histogram<L>({ ...config, registers: [registry] });
  const p = METRIC_PREFIX;
  return {
    registry,
    counter,
    gauge,
    histogram,
    turns: counter({
      name: `${p}turns_total`,
      help: 'Turns ended (or paused, or taken over), by Slack surface and outcome.',
      labelNames: ['surface', 'outcome'],
    }),
    turnDuration: histogram({
      name: `${p}turn_duration_seconds`,
      help: 'Time a turn ran in one go: until it answered, failed or paused for approval.',
      labelNames: ['surface'],
      buckets: TURN_BUCKETS,
    }),
    firstSign: histogram({
      name: `${p}turn_first_sign_seconds`,
      help: 'Time from the Slack request (or the turn start) to its first visible sign in Slack.',
      labelNames: ['surface'],
      buckets: FIRST_SIGN_BUCKETS,
    }),
    modelRequests: counter({
      name: `${p}model_requests_total`,
      help: 'Requests to the Anthropic Messages API, by outcome and stop reason.',
      labelNames: ['outcome', 'stop_reason'],
    }),
    modelDuration: histogram({
      name: `${p}model_request_duration_seconds`,
      help: 'Time of one model request, streamed to its end (SDK retries included).',
      labelNames: ['outcome'],
      buckets: CALL_BUCKETS,
    }),
    tokens: counter({
      name: `${p}model_tokens_total`,
      help: 'Tokens billed by Anthropic, by kind (input, cache_read, cache_write, output).',
      labelNames: ['kind'],
    }),
    toolCalls: counter({
      name: `${p}tool_calls_total`,
      help: 'Tool calls through the Composio Tool Router, by tool and outcome.',
      labelNames: ['tool', 'outcome'],
    }),
    toolDuration: histogram({
      name: `${p}tool_call_duration_seconds`,
      help: 'Time of one tool call.',
      labelNames: ['tool'],
      buckets: CALL_BUCKETS,
    }),
    slackCalls: counter({
      name: `${p}slack_api_calls_total`,
      help: 'Slack Web API calls, by method and outcome (ok, error, rate_limited).',
      labelNames: ['method', 'outcome'],
    }),
    slowAcks: counter({
      name: `${p}slack_slow_acks_total`,
      help: 'Slack requests acknowledged after more than 2 s (Slack gives up at 3 s).',
      labelNames: ['kind'],
    }),
    stalls: counter({
      name: `${p}queue_stalls_total`,
      help: 'Turn jobs this instance found stalled (their worker stopped renewing the lock).',
    }),
  };
}

/** Seconds since `startMs` (a Date.now() reading). */
export const secondsSince = (startMs: number) => (Date.now() - startMs) / 1000;

/** Queue states shown by `confluence_agent_queue_jobs`. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Registers the queue-depth gauge, read at each scrape from `read` (BullMQ's counts with Redis,
 * the in-process dispatcher's without). A failed read leaves the states out of that scrape
 * (absent, not zero, so an alert on "no data" can tell).
 */
export function registerQueueDepth(
  metrics: Metrics,
  read: () => Promise<Partial<Record<(typeof QUEUE_STATES)[number], number>>>,
): void {
  metrics.gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Turn jobs in the queue, by state (waiting, active, delayed, failed).',
    labelNames: ['state'],
    async collect() {
      this.reset();
      const counts = await read().catch(() => undefined);
      for (const state of QUEUE_STATES) {
        const n = counts?.[state];
        if (n !== undefined) this.set({ state }, n);
      }
    },
  });
}

/** Registers the counter of turns this instance took over from a worker that stopped. */
export function recoveriesCounter(metrics: Metrics): Counter {
  return metrics.counter({
    name: `${METRIC_PREFIX}queue_recoveries_total`,
    help: 'Turns this instance took over from a worker that stopped mid-turn.',
  });
}
