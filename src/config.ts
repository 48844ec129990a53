import { z } from 'zod';
import { CodedError } from './errors.js';

/** The model used when ANTHROPIC_MODEL is not set: current and not deprecated (Nov 2026). */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

const optionalUrl = z.url().optional();
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A comma-separated list: each item trimmed and normalised, empty items dropped. */
const commaList = (fallback: string, normalise: (item: string) => string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((item) => normalise(item.trim()))
        .filter(Boolean),
    );

const schema = z.object({
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'must be a bot token starting with xoxb-'),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'must be an app token starting with xapp-')
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_API_URL: optionalUrl,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  ANTHROPIC_API_KEY: z.string().min(1),
  ANTHROPIC_BASE_URL: optionalUrl,
  ANTHROPIC_MODEL: z.string().min(1).default(DEFAULT_MODEL),
  COMPOSIO_API_KEY: z.string().min(1),
  COMPOSIO_BASE_URL: optionalUrl,
  COMPOSIO_TOOLKITS: commaList('confluence', (s) => s.toLowerCase()).pipe(
    z.array(z.string().regex(/^[a-z0-9_]+$/, 'toolkit slugs are lower-case words')).min(1),
  ),
  COMPOSIO_USER_ID_MODE: z.enum(['slack', 'email']).default('slack'),
  COMPOSIO_TELEMETRY: z.enum(['on', 'off']).default('off'),
  // Hosts (or parent domains) of the Confluence sites whose page links get previews; none: off.
  CONFLUENCE_DOMAINS: commaList('', (s) => s.toLowerCase()).pipe(
    z.array(
      z
        .string()
        .regex(/^(?![.-])[-a-z0-9.]+[a-z0-9]$/, 'domains are host names like acme.atlassian.net'),
    ),
  ),
  LINK_PREVIEW_EXCERPTS: z.enum(['on', 'off']).default('on'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  // Ten model calls cover a search, a few reads and writes; a turn that needs more stops and asks.
  AGENT_MAX_TURNS: z.coerce.number().int().min(1).max(100).default(10),
  // A long thread's gist, while each request stays far below the context window and its cost.
  AGENT_HISTORY_TOKENS: z.coerce.number().int().min(1000).max(900_000).default(60_000),
  AGENT_DESTRUCTIVE_TOOLS: commaList('', (s) => s.toUpperCase()),
  // Files attached to a mention or DM: a long report or a few screenshots. Each at most 20 MB,
  // since all of a request's files together stay under 20 MB (MAX_TOTAL_FILE_BYTES).
  FILES_MAX_MB: z.coerce.number().positive().max(20).default(10),
  FILES_MAX_COUNT: z.coerce.number().int().min(0).max(20).default(5),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be 1–40 letters, digits, dots, dashes or underscores')
    .default('cas'),
  ROLE: z.enum(['all', 'receiver', 'worker']).default('all'),
  // The TURN_* defaults are DEFAULT_DURABLE_OPTIONS' (src/turns/durable/options.ts says why).
  TURN_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  TURN_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(6_000),
  TURN_STALLED_CHECK_MS: z.coerce.number().int().min(500).max(600_000).default(1_000),
  TURN_MAX_STALLS: z.coerce.number().int().min(1).max(20).default(2),
  TURN_WAIT_NOTICE_MS: z.coerce.number().int().min(1000).default(60_000),
  // Under Kubernetes' default 30 s grace period, leaving time to close before SIGKILL.
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  // How often each channel subscription asks Confluence for changes (decimals for tests).
  SUBSCRIPTION_POLL_SECONDS: z.coerce.number().min(0.2).max(3600).default(60),
  // Traces go out only when an OTLP/HTTP endpoint is named (OpenTelemetry's own variables).
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_SERVICE_NAME: z.string().min(1).default('confluence-agent'),
  // US dollars per million tokens; the defaults are Anthropic's list prices for Sonnet.
  PRICE_INPUT_PER_MTOK: z.coerce.number().min(0).default(3),
  PRICE_OUTPUT_PER_MTOK: z.coerce.number().min(0).default(15),
  PRICE_CACHE_READ_PER_MTOK: z.coerce.number().min(0).default(0.3),
  PRICE_CACHE_WRITE_PER_MTOK: z.coerce.number().min(0).default(3.75),
  // Unset: no operator endpoint. Long enough not to be guessed.
  OPERATOR_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});

/** US dollars per million tokens of each kind Anthropic bills. */
export interface TokenPrices {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** Validated configuration: the only shape of the environment the rest of the code sees. */
export interface Config {
  slack: {
    botToken: string;
    appToken?: string;
    signingSecret?: string;
    apiUrl?: string;
    socketMode: boolean;
  };
  http: { port: number; host: string };
  anthropic: { apiKey: string; baseURL?: string; model: string };
  composio: {
    apiKey: string;
    baseURL?: string;
    toolkits: string[];
    userIdMode: 'slack' | 'email';
    telemetry: boolean;
  };
  /** Confluence link previews: the sites' domains (none: no previews), and whether excerpts show. */
  linkPreviews: { domains: string[]; excerpts: boolean };
  redisUrl?: string;
  /** Every Redis key (and the queue's) starts with this, so deployments can share a Redis. */
  redisKeyPrefix: string;
  agent: { maxTurns: number; historyBudgetTokens: number; destructiveTools: string[] };
  /** Files attached to a request: how big each may be (bytes), and how many (0: none taken). */
  files: { maxBytes: number; maxCount: number };
  logLevel: string;
  /** What this process does: receive Slack requests, run turns, or both. */
  role: 'all' | 'receiver' | 'worker';
  /** On SIGTERM, how long turns in flight may run before the process exits anyway. */
  shutdownDrainMs: number;
  /** Channel subscriptions: each is polled every `pollMs`. */
  subscriptions: { pollMs: number };
  /** OpenTelemetry traces: the OTLP/HTTP traces URL (none: tracing off) and the service name. */
  tracing: { tracesUrl?: string; serviceName: string };
  /** US dollars per million tokens of each kind, for the usage figures. */
  prices: TokenPrices;
  /** Bearer token of the operator endpoint `/admin/usage`; unset: the endpoint is off. */
  operatorToken?: string;
  turns: {
    concurrency: number;
    lockMs: number;
    stalledCheckMs: number;
    maxStalls: number;
    waitNoticeMs: number;
  };
}

/** Raised when the environment is incomplete or malformed; lists every problem at once. */
export class ConfigError extends CodedError {
  constructor(readonly problems: string[]) {
    super(
      'config_invalid',
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** Validates an environment (process.env plus .env) and returns the typed configuration. */
export function loadConfig(
  env: Record<string, string | undefined>,
  options: { surface?: 'slack' | 'cli' } = {},
): Config {
  const cleaned: Record<string, unknown> = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, blankToUndefined(env[k])]),
  );
  // The terminal chat talks to no Slack workspace: Slack settings are not needed there.
  const slack = options.surface !== 'cli';
  if (!slack) cleaned.SLACK_BOT_TOKEN ??= 'xoxb-unused-by-the-terminal-chat';
  const parsed = schema.safeParse(cleaned);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const missing = issue.code === 'invalid_type' && cleaned[name] === undefined;
        // Never echo the offending value: it may be a secret.
        return missing ? `${name} is required` : `${name} ${issue.message}`;
      });
  if (cleaned.ROLE && cleaned.ROLE !== 'all' && !cleaned.REDIS_URL) {
    problems.push(
      'ROLE receiver/worker needs REDIS_URL: the roles share their turns through Redis',
    );
  }
  if (slack && !cleaned.SLACK_APP_TOKEN && !cleaned.SLACK_SIGNING_SECRET) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (!parsed.success || problems.length) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      socketMode: Boolean(e.SLACK_APP_TOKEN),
    },
    http: { port: e.PORT, host: e.HOST },
    anthropic: {
      apiKey: e.ANTHROPIC_API_KEY,
      baseURL: e.ANTHROPIC_BASE_URL,
      model: e.ANTHROPIC_MODEL,
    },
    composio: {
      apiKey: e.COMPOSIO_API_KEY,
      baseURL: e.COMPOSIO_BASE_URL,
      toolkits: e.COMPOSIO_TOOLKITS,
      userIdMode: e.COMPOSIO_USER_ID_MODE,
      telemetry: e.COMPOSIO_TELEMETRY === 'on',
    },
    linkPreviews: {
      domains: e.CONFLUENCE_DOMAINS,
      excerpts: e.LINK_PREVIEW_EXCERPTS === 'on',
    },
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    agent: {
      maxTurns: e.AGENT_MAX_TURNS,
      historyBudgetTokens: e.AGENT_HISTORY_TOKENS,
      destructiveTools: e.AGENT_DESTRUCTIVE_TOOLS,
    },
    files: { maxBytes: Math.floor(e.FILES_MAX_MB * 1024 * 1024), maxCount: e.FILES_MAX_COUNT },
    logLevel: e.LOG_LEVEL,
    role: e.ROLE,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    subscriptions: { pollMs: Math.round(e.SUBSCRIPTION_POLL_SECONDS * 1000) },
    tracing: {
      tracesUrl:
        e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        (e.OTEL_EXPORTER_OTLP_ENDPOINT &&
          `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`),
      serviceName: e.OTEL_SERVICE_NAME,
    },
    prices: {
      input: e.PRICE_INPUT_PER_MTOK,
      output: e.PRICE_OUTPUT_PER_MTOK,
      cacheRead: e.PRICE_CACHE_READ_PER_MTOK,
      cacheWrite: e.PRICE_CACHE_WRITE_PER_MTOK,
    },
    operatorToken: e.OPERATOR_TOKEN,
    turns: {
      concurrency: e.TURN_CONCURRENCY,
      lockMs: e.TURN_LOCK_MS,
      stalledCheckMs: e.TURN_STALLED_CHECK_MS,
      maxStalls: e.TURN_MAX_STALLS,
      waitNoticeMs: e.TURN_WAIT_NOTICE_MS,
    },
  };
}
