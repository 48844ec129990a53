import type { WebClientOptions } from '@slack/web-api';

// Four tries in all, about 0.5, 1 and 2 s apart (doubling, never over 4 s): a blip is ridden
// out, an outage is reported within seconds.
const RETRIES = 3;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 4_000;
// A healthy Slack answers in well under a second; a call still open after 15 s is not coming.
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * How every Slack Web API client of the bot retries and times out. The SDK's default retries
 * for about thirty minutes with no request timeout — right for batch jobs, wrong for a turn that
 * holds its thread's line while it waits: a Slack outage would block the thread that long.
 * Here a call is tried four times over a few seconds, and no single request hangs past 15 s;
 * rate limits are still honoured (the client waits for Retry-After).
 */
export const SLACK_CLIENT_OPTIONS = {
  retryConfig: {
    retries: RETRIES,
    factor: 2,
    minTimeout: FIRST_BACKOFF_MS,
    maxTimeout: MAX_BACKOFF_MS,
    randomize: true,
  },
  timeout: REQUEST_TIMEOUT_MS,
} satisfies WebClientOptions;
