/** A turn run again after it finished (its worker died before the job was marked done) is a no-op. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Core, createCore } from '../../src/core.js';
import { createLogger } from '../../src/logger.js';
import type { TurnOutput } from '../../src/turns/turn-output.js';
import type { TurnRequest } from '../../src/turns/turn-request.js';
import { type FakeAnthropic, startFakeAnthropic, text } from '../kit/fake-anthropic/index.js';
import { type FakeComposio, startFakeComposio } from '../kit/fake-composio/index.js';
import { cleanPrefix, testRedisUrl } from '../kit/redis.js';
import { createPageCall } from '../kit/tool-calls.js';

describe('a finished turn delivered to the runner again', () => {
  let anthropic: FakeAnthropic;
  let composio: FakeComposio;
  let core: Core;
  const answers: Array<{ id: string; text: string }> = [];
  const keyPrefix = cleanPrefix();
  beforeAll(async () => {
    [anthropic, composio] = await Promise.all([startFakeAnthropic(), startFakeComposio()]);
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-rerun-test',
      SLACK_SIGNING_SECRET: 'rerun-secret',
      ANTHROPIC_API_KEY: anthropic.apiKey,
      ANTHROPIC_BASE_URL: anthropic.url,
      COMPOSIO_API_KEY: composio.apiKey,
      COMPOSIO_BASE_URL: composio.url,
      REDIS_URL: testRedisUrl(),
    });
    const output: TurnOutput = {
      status: async () => {},
      streamText: async () => {},
      // Like the Slack output: a resumed answer already posted is not posted again.
      answer: async (request, markdown, options) => {
        const posted = answers.some((a) => a.id === request.id && a.text === markdown);
        if (!(options?.resumed && posted)) answers.push({ id: request.id, text: markdown });
      },
      askApproval: async () => {},
      connectLink: async () => {},
      visibleState: () => ({}),
      restore: () => {},
    };
    const logger = createLogger({
      level: 'silent',
      destination: new Writable({ write: (_c, _e, cb) => cb() }),
    });
    core = createCore(
      config,
      logger,
      { output, composioUserIdOf: async (r) => `slack-${r.teamId}-${r.userId}` },
      { keyPrefix },
    );
  });
  afterAll(async () => {
    await core?.close();
    await Promise.all([anthropic?.close(), composio?.close()]);
  });

  it('neither answers nor writes a second time', async () => {
    composio.connect('slack-T0RERUN-U0RERUN');
    anthropic.script(
      { content: [createPageCall('Rerun Page')] },
      { content: [text('Created Rerun Page.')] },
    );
    const request: TurnRequest = {
      id: 'EvRERUN0001',
      source: 'mention',
      teamId: 'T0RERUN',
      channel: 'C0RERUN',
      threadTs: '1700000000.000100',
      messageTs: '1700000000.000100',
      userId: 'U0RERUN',
      text: 'create Rerun Page',
    };
    await core.runner.run(request);
    expect(answers).toEqual([{ id: request.id, text: 'Created Rerun Page.' }]);
    // The worker died after the turn finished but before its job was marked done: the job
    // is run again by another worker.
    await core.runner.run(request);
    expect(answers).toHaveLength(1);
    expect(composio.confluence.writeCount('CONFLUENCE_CREATE_PAGE')).toBe(1);
    expect(anthropic.requests).toHaveLength(2);
    const history = await core.stores.history.load({
      teamId: request.teamId,
      channel: request.channel,
      threadTs: request.threadTs,
    });
    expect(history.filter((m) => m.role === 'user' && typeof m.content === 'string')).toHaveLength(
      1,
    );
  });
});
