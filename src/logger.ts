import { pino } from 'pino';

/** The logging surface the app depends on (pino satisfies it). */
export type Logger = Pick<
  pino.Logger,
  'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child' | 'level' | 'isLevelEnabled'
>;

/** Shapes of credentials we must never write out, whatever field they hide in. */
const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g, // Slack bot, user, app-level and refresh tokens
  /xapp-[A-Za-z0-9-]+/g,
  /sk-ant-[A-Za-z0-9_-]+/g, // Anthropic keys
  /\bak_[A-Za-z0-9_-]{8,}/g, // Composio keys
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
  // A Composio connect link lets whoever holds it connect an account: only its owner sees it.
  /https?:\/\/[^\s"')>]*composio\.dev\/link\/[^\s"')>]+/g,
  // A response_url (and any other hooks.slack.com URL) lets whoever holds it post as the app.
  /https?:\/\/hooks\.slack\.com\/[^\s"')>]+/g,
  // A Socket Mode WebSocket URL carries the ticket that opens the app's connection.
  /wss?:\/\/[^\s"')>]*slack\.com\/link\/[^\s"')>]*/g,
];

/** E-mail addresses (the Composio user id in e-mail mode) keep their first letter and domain. */
const EMAIL =
  /\b([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b/g;

// A configured "secret" shorter than this (a placeholder, a typo) would redact ordinary words.
const MIN_SECRET_CHARS = 6;
// Log fields nest a few levels (err → cause → response); the bound keeps a huge object from
// stalling a log line. What lies deeper is left out, never written unscrubbed.
const MAX_SCRUB_DEPTH = 8;
const TOO_DEEP = '[omitted: nested too deep]';

/** Replaces every known secret value and secret-shaped string in `text` with a marker. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_CHARS) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '[redacted]');
  return out.replace(EMAIL, '$1…@$2');
}

function scrub(
  value: unknown,
  secrets: readonly string[],
  depth = 0,
  path: WeakSet<object> = new WeakSet(),
): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_SCRUB_DEPTH) return TOO_DEEP;
  if (path.has(value)) return '[circular]';
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactSecrets(value.message, secrets),
      code: (value as { code?: unknown }).code,
      stack: value.stack ? redactSecrets(value.stack, secrets) : undefined,
    };
  }
  path.add(value);
  const out = Array.isArray(value)
    ? value.map((v) => scrub(v, secrets, depth + 1, path))
    : Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          scrub(v, secrets, depth + 1, path),
        ]),
      );
  path.delete(value);
  return out;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level: string;
  /** Exact secret values from the configuration, scrubbed wherever they appear. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default (tests pass a capture stream). */
  destination?: pino.DestinationStream;
}

/** Creates the structured JSON logger; every field and message is scrubbed of secrets. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: {
        paths: [
          '*.token',
          '*.apiKey',
          '*.authorization',
          '*.headers.authorization',
          '*["x-api-key"]',
        ],
        censor: '[redacted]',
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrub(a, secrets)) as Parameters<typeof method>);
        },
      },
    },
    // Synchronous writes: no log line is lost when the process exits or crashes.
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/**
 * Waits for a step whose failure the caller can afford, and logs that failure with why it is
 * safe to go on, instead of swallowing it or letting it end the caller's work.
 */
export async function bestEffort(
  log: Logger,
  step: string,
  whySafe: string,
  work: Promise<unknown>,
): Promise<void> {
  try {
    await work;
  } catch (err) {
    log.warn({ err, step, whySafe }, 'a best-effort step failed');
  }
}
