/** SPEC §4 identity with COMPOSIO_USER_ID_MODE=email: the Slack e-mail, looked up once, kept. */
import type { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { resolveComposioUserId } from '../../src/slack/reads/composio-user.js';
import { createKeys, TTL } from '../../src/store/keys.js';
import { createRedisConnection, createRedisKeyValueStore } from '../../src/store/redis-kv.js';
import { createStores } from '../../src/store/stores.js';
import { errorLines, expectNoSecrets, secretsOf } from '../faults/fault-kit.js';
import { answerIn, mention } from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { cleanPrefix, connectTestRedis, testRedisUrl } from '../kit/redis.js';

const CHANNEL = 'C0EMAIL';
const ALICE = 'U0EMAILALICE';
const BOB = 'U0EMAILBOB';
const CAROL = 'U0EMAILCAROL';
const ALICE_EMAIL = 'Alice.Example@Example.COM';
const ALICE_ID = 'alice.example@example.com';
const CLEAR_MESSAGE = /e-mail address on your Slack profile[\s\S]*users:read\.email/;

describe('e-mail identity (COMPOSIO_USER_ID_MODE=email)', () => {
  let h: Harness;
  let redis: Redis;
  const mappingKey = (user: string) => createKeys(h.keyPrefix).composioUser(h.slack.teamId, user);
  const usersInfoCalls = (user: string) =>
    h.slack.callsTo('users.info').filter((c) => c.args.user === user);
  /** The errors a turn's error-level log lines carry. */
  const failuresOf = (turnId: string) =>
    errorLines(h.logs)
      .filter((l) => l.turn === turnId)
      .map((l) => l.err);
  const failedWith = (code: string) => expect.arrayContaining([expect.objectContaining({ code })]);

  beforeAll(async () => {
    h = await startHarness({ env: { COMPOSIO_USER_ID_MODE: 'email' } });
    redis = connectTestRedis();
    h.slack.addUser({ id: ALICE, name: 'alice', email: ALICE_EMAIL });
    h.slack.addUser({ id: BOB, name: 'bob', email: 'bob@example.com' });
    h.slack.addUser({ id: CAROL, name: 'carol' }); // no e-mail on the profile
    h.composio.connect(ALICE_ID);
  });
  afterAll(async () => {
    await h?.stop();
    await redis.quit();
  });

  it('runs the turn as the e-mail identity and reuses the stored mapping without users.info', async () => {
    expect(h.config.composio.userIdMode).toBe('email');
    h.anthropic.script({ content: [text('Hello from e-mail mode.')] });
    const first = await mention(h, { user: ALICE, channel: CHANNEL, text: 'hello' });
    await answerIn(h, CHANNEL, first.threadTs, 'Hello from e-mail mode.');

    expect(usersInfoCalls(ALICE)).toHaveLength(1);
    expect(h.composio.sessions().map((s) => s.userId)).toEqual([ALICE_ID]);
    expect(await redis.get(mappingKey(ALICE))).toBe(ALICE_ID);

    // Her e-mail changes in Slack: the stored mapping still decides, and Slack is not asked again.
    h.slack.addUser({ id: ALICE, name: 'alice', email: 'alice@elsewhere.example' });
    h.anthropic.script({ content: [text('Hello again.')] });
    const second = await mention(h, { user: ALICE, channel: CHANNEL, text: 'hello again' });
    await answerIn(h, CHANNEL, second.threadTs, 'Hello again.');

    expect(usersInfoCalls(ALICE)).toHaveLength(1);
    expect(h.composio.sessions().map((s) => s.userId)).toEqual([ALICE_ID]);
    expect(await redis.get(mappingKey(ALICE))).toBe(ALICE_ID);
  });

  it('says clearly that the Slack e-mail is unreadable when users.info fails with missing_scope', async () => {
    const requestsBefore = h.anthropic.requests.length;
    h.slack.failNext('users.info', 'missing_scope');
    const turn = await mention(h, { user: BOB, channel: CHANNEL, text: 'list my spaces' });
    const reply = await h.waitForBotReply(CHANNEL, turn.threadTs, 'users:read.email');
    const seen = h.slack.visibleText(reply);
    expect(seen).toMatch(CLEAR_MESSAGE);
    expect(seen).not.toMatch(/conversation store/);

    await h.state.turnEnded(turn.eventId);
    // The error log names the code and Slack's own error, for whoever fixes the scopes.
    expect(failuresOf(turn.eventId)).toEqual(failedWith('identity_email_unavailable'));
    expect(JSON.stringify(failuresOf(turn.eventId))).toContain('missing_scope');
    expect(usersInfoCalls(BOB).at(-1)?.result).toMatchObject({ ok: false, error: 'missing_scope' });
    // Nothing was stored (a fixed scope works next time), and the model was never asked.
    expect(await redis.get(mappingKey(BOB))).toBeNull();
    expect(h.anthropic.requests.length).toBe(requestsBefore);
    expect(h.composio.sessions().map((s) => s.userId)).not.toContain(
      `slack-${h.slack.teamId}-${BOB}`,
    );
    expect(errorLines(h.logs).length).toBeGreaterThan(0);
    expectNoSecrets(h.logs, secretsOf(h));
  });

  it('asks to try again, not to call an admin, when users.info fails for a passing reason', async () => {
    h.slack.failNext('users.info', 'ratelimited');
    const turn = await mention(h, { user: BOB, channel: CHANNEL, text: 'list my spaces again' });
    const reply = await h.waitForBotReply(CHANNEL, turn.threadTs, 'try again');
    expect(h.slack.visibleText(reply)).not.toMatch(CLEAR_MESSAGE);
    await h.state.turnEnded(turn.eventId);
    expect(failuresOf(turn.eventId)).toEqual(failedWith('slack_failed'));
    expect(await redis.get(mappingKey(BOB))).toBeNull();
  });

  it('says the same when the Slack profile has no e-mail', async () => {
    const turn = await mention(h, { user: CAROL, channel: CHANNEL, text: 'hello' });
    const reply = await h.waitForBotReply(CHANNEL, turn.threadTs, 'users:read.email');
    expect(h.slack.visibleText(reply)).toMatch(CLEAR_MESSAGE);
    expect(h.slack.visibleText(reply)).not.toMatch(/conversation store/);
    await h.state.turnEnded(turn.eventId);
    expect(failuresOf(turn.eventId)).toEqual(failedWith('identity_email_unavailable'));
    expect(await redis.get(mappingKey(CAROL))).toBeNull();
    expectNoSecrets(h.logs, secretsOf(h));
  });
});

describe('stored identity mapping (real Redis)', () => {
  const prefix = cleanPrefix();
  let redis: Redis;
  const kv = createRedisKeyValueStore(
    createRedisConnection(testRedisUrl(), createLogger({ level: 'silent' })),
  );
  const stores = createStores(kv, createKeys(prefix));
  const key = createKeys(prefix).composioUser('T1', 'U1');
  beforeAll(() => {
    redis = connectTestRedis();
  });
  afterAll(async () => {
    await redis.quit();
    await kv.close();
  });

  it('restarts its TTL whenever it is read, so a mapping in use never expires', async () => {
    await stores.composioUsers.set('alice@example.com', 'T1', 'U1');
    expect(await redis.ttl(key)).toBeGreaterThan(TTL.composioUser - 60);

    // As if it had been written long ago: almost expired.
    await redis.expire(key, 100);
    expect(await stores.composioUsers.get('T1', 'U1')).toBe('alice@example.com');
    expect(await redis.ttl(key)).toBeGreaterThan(TTL.composioUser - 60);

    // The same through the resolver, which must not ask Slack for a stored mapping.
    await redis.expire(key, 100);
    const slack = {
      users: {
        info: () => {
          throw new Error('users.info must not be called for a stored mapping');
        },
      },
    } as unknown as WebClient;
    const id = await resolveComposioUserId(
      { teamId: 'T1', userId: 'U1' },
      { stores, mode: 'email', slack },
    );
    expect(id).toBe('alice@example.com');
    expect(await redis.ttl(key)).toBeGreaterThan(TTL.composioUser - 60);
  });

  it('reading a missing mapping creates nothing', async () => {
    expect(await stores.composioUsers.get('T1', 'U0NONE')).toBeNull();
    expect(await redis.exists(createKeys(prefix).composioUser('T1', 'U0NONE'))).toBe(0);
  });
});
