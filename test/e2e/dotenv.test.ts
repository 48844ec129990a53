/**
 * src/main.ts reads a `.env` in its working directory for variables the environment lacks;
 * a variable the real environment sets wins over the file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../kit/app-process.js';
import { startFakeAnthropic, text } from '../kit/fake-anthropic/index.js';
import { startFakeComposio } from '../kit/fake-composio/index.js';
import { createSlackRequester, startFakeSlack } from '../kit/fake-slack/index.js';
import { fakesEnv } from '../kit/fakes-env.js';

const ENV_SECRET = 'signing-secret-from-the-environment';
const FILE_SECRET = 'signing-secret-from-dotenv';

describe('.env support', () => {
  const stops: Array<() => unknown> = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it('fills a missing required variable from ./.env, and the real environment wins over it', async () => {
    const [slack, anthropic, composio] = await Promise.all([
      startFakeSlack(),
      startFakeAnthropic(),
      startFakeComposio(),
    ]);
    stops.push(() => Promise.all([slack.close(), anthropic.close(), composio.close()]));
    // The real environment: everything but ANTHROPIC_API_KEY (no REDIS_URL: in-process store).
    const { ANTHROPIC_API_KEY: fromFileOnly, ...env } = fakesEnv(
      { slack, anthropic, composio },
      ENV_SECRET,
    );
    const dotenv = [
      '# only here: the process must take it from this file',
      `ANTHROPIC_API_KEY=${fromFileOnly}`,
      '# also in the real environment, whose value must win',
      `SLACK_SIGNING_SECRET=${FILE_SECRET}`,
      '',
    ].join('\n');

    // Startup passed config validation although the environment lacks ANTHROPIC_API_KEY.
    const app = await startApp('dotenv', env, { dotenv });
    stops.push(() => app.kill('SIGKILL'));
    const { eventsUrl } = app;

    // The environment's signing secret is the one in force; the file's is refused.
    const root = slack.addMessage({ channel: 'C1', user: 'U1', text: `<@${slack.botUserId}> hi` });
    const event = { type: 'app_mention', user: 'U1', text: root.text, ts: root.ts, channel: 'C1' };
    const refused = await createSlackRequester(FILE_SECRET).event(eventsUrl, event);
    expect(refused.status).toBe(401);
    anthropic.script({ content: [text('Hello via the key from .env.')] });
    const accepted = await createSlackRequester(ENV_SECRET).event(eventsUrl, event);
    expect(accepted.status).toBe(200);

    // The model call carried the key from .env (the fake Anthropic accepts no other).
    const replies = () =>
      slack
        .messages('C1', root.ts)
        .filter((m) => m.bot_id)
        .map((m) => slack.visibleText(m));
    await slack.waitForCall(() => replies().includes('Hello via the key from .env.'), 10_000);
    expect(anthropic.requests).toHaveLength(1);
    expect(
      anthropic.requests[0]!.headers.authorization ?? anthropic.requests[0]!.headers['x-api-key'],
    ).toContain(fromFileOnly);

    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  });
});
