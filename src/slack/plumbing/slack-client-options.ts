import type { WebClientOptions } from '@slack/web-api';

/**
 * How every Slack Web API client of the bot retries and times out. The SDK's default retries
 * for about thirty minutes with no request timeout — right for batch jobs, wrong for a turn that
 * holds its thread's line while it waits: a Slack outage would block the thread that long.
 * Here a call is tried four times over a few seconds, and no single request hangs past 15 s;
 * rate limits are still honoured (the client waits for Retry-After).
 */
export const SLACK_CLIENT_OPTIONS = {
  retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 4_000, randomize: true },
  timeout: 15_000,
} satisfies WebClientOptions;
