/** SPEC §8 restarts: history and pending approvals survive; stop() closes MCP and Redis. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerIn,
  approvalPrompt,
  buttonClick,
  composioUserOf,
  mention,
  messagesOf,
} from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { spawnRedis } from '../kit/redis-server.js';
import { deletePageCall, seedPage } from '../kit/tool-calls.js';
import { expectNoSecrets, secretsOf } from './fault-kit.js';

const CHANNEL = 'C0RESTART';
const USER = 'U0RESTART';

describe('restarts', () => {
  let redis: Awaited<ReturnType<typeof spawnRedis>>;
  let probe: Redis;
  let h: Harness;
  beforeAll(async () => {
    // A private Redis, so its client list holds only this app's connections.
    redis = await spawnRedis();
    probe = new Redis(redis.url);
    h = await startHarness({ env: { REDIS_URL: redis.url } });
    h.composio.connect(composioUserOf(h, USER));
  });
  afterAll(async () => {
    await h?.stop();
    probe?.disconnect();
    await redis?.stop();
  });

  /** Redis clients other than the probe itself. */
  const appClients = async () =>
    String(await probe.client('LIST'))
      .trim()
      .split('\n')
      .filter((line) => line && !line.includes('cmd=client'));

  it('keeps the thread history and a pending approval across a restart', async () => {
    h.anthropic.script({ content: [text('Noted: the launch is on Friday.')] });
    const first = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'the launch is on Friday',
    });
    await answerIn(h, CHANNEL, first.threadTs, 'Noted: the launch is on Friday.');

    const pageId = seedPage(h.composio, composioUserOf(h, USER), 'Stale Plan');
    h.anthropic.script({ content: [deletePageCall(pageId)] });
    const del = await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'delete Stale Plan',
      threadTs: first.threadTs,
    });
    const prompt = await approvalPrompt(h, del.threadTs);

    await h.restartApp();

    h.anthropic.script({ content: [text('Deleted Stale Plan.')] });
    await h.requester.interaction(
      h.eventsUrl,
      buttonClick(h, {
        user: USER,
        channel: CHANNEL,
        message: { ts: String(prompt.result!.ts), thread_ts: first.threadTs },
        actionId: 'approval_approve',
        value: del.eventId,
      }),
    );
    await answerIn(h, CHANNEL, first.threadTs, 'Deleted Stale Plan.');
    expect(h.composio.confluence.writeCount('CONFLUENCE_DELETE_PAGE')).toBe(1);

    h.anthropic.script({ content: [text('On Friday.')] });
    const before = h.anthropic.requests.length;
    await mention(h, {
      user: USER,
      channel: CHANNEL,
      text: 'when is the launch?',
      threadTs: first.threadTs,
    });
    await answerIn(h, CHANNEL, first.threadTs, 'On Friday.');
    const transcript = JSON.stringify(messagesOf(h, before));
    for (const part of [
      'the launch is on Friday',
      'Noted: the launch is on Friday.',
      'CONFLUENCE_DELETE_PAGE',
      'Deleted Stale Plan.',
    ])
      expect(transcript).toContain(part);
  });

  it('closes every Redis connection when stopped', async () => {
    expect((await appClients()).length).toBeGreaterThan(0);
    await h.app.stop({ drainMs: 2_000 });
    expect(await appClients()).toEqual([]);
    // Stopping again (a second signal, or the harness's clean-up) waits for the same shutdown.
    await h.app.stop();
    await h.restartApp().catch(() => {});
    expectNoSecrets(h.logs, secretsOf(h));
  });
});
