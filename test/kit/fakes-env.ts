/** The upstream endpoints and credentials of the local fakes, as the app reads them. */
export interface FakeUpstreams {
  slack: { botToken: string; apiUrl: string };
  anthropic: { apiKey: string; url: string };
  composio: { apiKey: string; url: string };
}

/**
 * The environment that points the app at the fakes on loopback: Slack (HTTP mode with
 * `signingSecret`), Anthropic and Composio, plus `REDIS_URL` when given, on a random port.
 */
export function fakesEnv(
  fakes: FakeUpstreams,
  signingSecret: string,
  redisUrl?: string,
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: fakes.slack.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fakes.slack.apiUrl,
    ANTHROPIC_API_KEY: fakes.anthropic.apiKey,
    ANTHROPIC_BASE_URL: fakes.anthropic.url,
    COMPOSIO_API_KEY: fakes.composio.apiKey,
    COMPOSIO_BASE_URL: fakes.composio.url,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    PORT: '0',
    HOST: '127.0.0.1',
  };
}
