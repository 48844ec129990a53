import { afterAll, describe, expect, it } from 'vitest';
import { type AppProcess, spawnApp, startApp } from '../kit/app-process.js';
import { startFakeAnthropic, text } from '../kit/fake-anthropic/index.js';
import { startFakeComposio } from '../kit/fake-composio/index.js';
import { createSlackRequester, startFakeSlack } from '../kit/fake-slack/index.js';
import { fakesEnv } from '../kit/fakes-env.js';
import { cleanPrefix, testRedisUrl } from '../kit/redis.js';

/** Everything a process wrote, as text (JSON log lines and raw stderr). */
const outputOf = (app: AppProcess) =>
  app.logs.map((l) => (typeof l.raw === 'string' ? l.raw : JSON.stringify(l))).join('\n');

describe('the main process', () => {
  const apps: AppProcess[] = [];
  const prefix = cleanPrefix();
  afterAll(() => {
    for (const app of apps) app.kill('SIGKILL');
  });

  it('exits non-zero with one message naming every missing variable', async () => {
    const app = spawnApp('no-config', {});
    apps.push(app);
    expect(await app.exited).toBe(2);
    const message = outputOf(app);
    for (const name of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'ANTHROPIC_API_KEY',
      'COMPOSIO_API_KEY',
    ]) {
      expect(message).toContain(name);
    }
    expect(message.match(/Invalid configuration/g)).toHaveLength(1);
  });

  it('serves health and readiness, answers a signed mention, and exits 0 on SIGTERM', async () => {
    const [slack, anthropic, composio] = await Promise.all([
      startFakeSlack(),
      startFakeAnthropic(),
      startFakeComposio(),
    ]);
    const app = await startApp('main', {
      ...fakesEnv({ slack, anthropic, composio }, 'main-secret', testRedisUrl()),
      REDIS_KEY_PREFIX: prefix,
    });
    apps.push(app);
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, store: 'up' });
    const unsigned = await createSlackRequester('main-secret').event(
      app.eventsUrl,
      { type: 'app_mention', user: 'U1', text: 'x', ts: '1.0', channel: 'C1' },
      { badSignature: true },
    );
    expect(unsigned.status).toBe(401);

    anthropic.script({ content: [text('Hello from Claude.')] });
    const root = slack.addMessage({ channel: 'C1', user: 'U1', text: `<@${slack.botUserId}> hi` });
    const res = await createSlackRequester('main-secret').event(app.eventsUrl, {
      type: 'app_mention',
      user: 'U1',
      text: root.text,
      ts: root.ts,
      channel: 'C1',
    });
    expect(res.status).toBe(200);
    const replies = () =>
      slack
        .messages('C1', root.ts)
        .filter((m) => m.bot_id)
        .map((m) => slack.visibleText(m));
    await slack.waitForCall(() => replies().includes('Hello from Claude.'), 10_000);
    expect(replies()).toEqual(['Hello from Claude.']);

    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    // No secret in anything the process logged.
    for (const secret of [slack.botToken, anthropic.apiKey, composio.apiKey, 'main-secret']) {
      expect(outputOf(app)).not.toContain(secret);
    }
    await Promise.all([slack.close(), anthropic.close(), composio.close()]);
  });
});
