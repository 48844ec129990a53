/** Workspaces never meet: the same user and channel ids in two teams stay apart. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesOf } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { testRedisUrl } from '../kit/redis.js';
import { createPageCall } from '../kit/tool-calls.js';
import {
  creatorOf,
  errorLines,
  expectNoSecrets,
  secretsOf,
  storedHistory,
  titlesOf,
} from './fault-kit.js';

const OTHER_TEAM = 'T0OTHER';

describe('two workspaces on one bot', () => {
  let h: Harness;
  let redis: Redis;
  beforeAll(async () => {
    h = await startHarness();
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await h?.stop();
    expectNoSecrets(h.logs, secretsOf(h));
    await redis.quit();
  });

  it('keeps two workspaces apart: same user and channel ids, separate history and identity', async () => {
    const SAME_USER = 'U0SAMEID';
    const SAME_CHANNEL = 'C0SAMEID';
    const teams = [h.slack.teamId, OTHER_TEAM];
    for (const team of teams) h.composio.connect(`slack-${team}-${SAME_USER}`);
    const root = h.slack.addMessage({ channel: SAME_CHANNEL, user: SAME_USER, text: 'hi' });
    const ask = async (team: string, words: string, threadTs?: string) => {
      const message = threadTs
        ? h.slack.addMessage({
            channel: SAME_CHANNEL,
            user: SAME_USER,
            text: words,
            thread_ts: threadTs,
          })
        : root;
      const sent = await h.requester.event(
        h.eventsUrl,
        {
          type: 'app_mention',
          user: SAME_USER,
          text: `<@${h.slack.botUserId}> ${words}`,
          ts: message.ts,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          channel: SAME_CHANNEL,
          team,
        },
        { teamId: team },
      );
      expect(sent.status).toBe(200);
      await h.state.turnEnded(sent.eventId);
    };
    h.anthropic.script(
      { content: [createPageCall('Team One Page')] },
      { content: [text('Made Team One Page.')] },
    );
    await ask(teams[0]!, 'secret-one: make Team One Page');
    h.anthropic.script(
      { content: [createPageCall('Team Two Page')] },
      { content: [text('Made Team Two Page.')] },
    );
    await ask(teams[1]!, 'secret-two: make Team Two Page');

    h.anthropic.script({ content: [text('Only Team Two here.')] });
    const before = h.anthropic.requests.length;
    await ask(teams[1]!, 'what did we do?', root.ts);
    const seenByTwo = JSON.stringify(messagesOf(h, before).slice(0, -1));
    expect(seenByTwo).toContain('secret-two');
    expect(seenByTwo).not.toContain('secret-one');

    const histories = await Promise.all(
      teams.map((teamId) =>
        storedHistory(redis, h.keyPrefix, { teamId, channel: SAME_CHANNEL, threadTs: root.ts }),
      ),
    );
    expect(JSON.stringify(histories[0])).toContain('secret-one');
    expect(JSON.stringify(histories[0])).not.toContain('secret-two');
    expect(JSON.stringify(histories[1])).toContain('secret-two');
    expect(JSON.stringify(histories[1])).not.toContain('secret-one');
    for (const team of teams)
      expect(await redis.get(`${h.keyPrefix}:user:${team}:${SAME_USER}`)).toBe(
        `slack-${team}-${SAME_USER}`,
      );
    expect(creatorOf(h, 'Team One Page')).toBe(`slack-${teams[0]}-${SAME_USER}`);
    expect(creatorOf(h, 'Team Two Page')).toBe(`slack-${teams[1]}-${SAME_USER}`);
    expect(titlesOf(h, `slack-${teams[0]}-${SAME_USER}`)).not.toContain('Team Two Page');
    expect(titlesOf(h, `slack-${teams[1]}-${SAME_USER}`)).not.toContain('Team One Page');
    expect(errorLines(h.logs)).toEqual([]);
  });
});
