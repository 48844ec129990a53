/**
 * A bounded soak run of channel subscriptions (loopback only, not part of `npm test`): two app
 * processes on one private Redis, 20 channels × 3 subscriptions (three owners, three spaces),
 * 500 changes written at a fixed pace, and one instance SIGKILLed midway and restarted.
 * Checks that every change reaches every channel subscribed to it exactly once; prints figures.
 *
 *   npx tsx scripts/subscription-soak.ts [--channels 20] [--changes 500] [--per-second 25]
 *     [--poll-seconds 1] [--timeout-s 240] [--no-kill]
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { SUBSCRIPTION_EVENT } from '../src/slack/output/slack-subscription-output.js';
import { spawnApp } from '../test/kit/app-process.js';
import { startFakeAnthropic } from '../test/kit/fake-anthropic/index.js';
import { startFakeComposio } from '../test/kit/fake-composio/index.js';
import { createSlackRequester, startFakeSlack } from '../test/kit/fake-slack/index.js';
import { fakesEnv } from '../test/kit/fakes-env.js';
import { spawnRedis } from '../test/kit/redis-server.js';

const { values } = parseArgs({
  options: {
    channels: { type: 'string', default: '20' },
    changes: { type: 'string', default: '500' },
    'per-second': { type: 'string', default: '25' },
    'poll-seconds': { type: 'string', default: '1' },
    'timeout-s': { type: 'string', default: '240' },
    'no-kill': { type: 'boolean', default: false },
  },
});
const CHANNELS = Number(values.channels);
const CHANGES = Number(values.changes);
const PACE_MS = 1000 / Number(values['per-second']);
const TIMEOUT_MS = Number(values['timeout-s']) * 1000;
const SECRET = 'soak-secret';
// Three owners, each following one space of their own site in every channel.
const OWNERS = [
  { user: 'U0SOAKA', space: 'MKT', kind: 'pages' },
  { user: 'U0SOAKB', space: 'ENG', kind: 'all' },
  { user: 'U0SOAKC', space: 'OPS', kind: 'all' },
] as const;

const redis = await spawnRedis();
const [slack, anthropic, composio] = await Promise.all([
  startFakeSlack(),
  startFakeAnthropic(),
  startFakeComposio(),
]);
const userOf = (user: string) => `slack-${slack.teamId}-${user}`;
for (const o of OWNERS) composio.connect(userOf(o.user));
// OPS: a third space on C's site (MKT and ENG are seeded on every site).
composio.confluence.execute(userOf('U0SOAKC'), 'CONFLUENCE_CREATE_SPACE', {
  key: 'OPS',
  name: 'Operations',
});
const env = {
  ...fakesEnv({ slack, anthropic, composio }, SECRET, redis.url),
  REDIS_KEY_PREFIX: 'soak',
  SUBSCRIPTION_POLL_SECONDS: values['poll-seconds'],
  LOG_LEVEL: 'info', // the start-up handshake reads the 'listening' line
};
const apps = [spawnApp('a', env), spawnApp('b', env)];
const channels = Array.from({ length: CHANNELS }, (_, i) => `C0SOAK${String(i).padStart(3, '0')}`);
const delivered = () =>
  channels.flatMap((c) =>
    slack.messages(c).filter((m) => m.bot_id && m.metadata?.event_type === SUBSCRIPTION_EVENT),
  );
let problems: string[] = [];
const figures: Record<string, number | string> = {};
try {
  const urls = await Promise.all(
    apps.map(async (a) => `http://127.0.0.1:${await a.port()}/slack/events`),
  );
  const requester = createSlackRequester(SECRET);
  const started = Date.now();
  let n = 0;
  for (const channel of channels)
    for (const o of OWNERS)
      await requester.command(urls[n++ % 2]!, {
        text: `subscribe ${o.space} ${o.kind}`,
        user_id: o.user,
        channel_id: channel,
        response_url: slack.responseUrl(`soak-${n}`),
      });
  const confirmed = () =>
    channels
      .flatMap((c) => slack.messages(c))
      .filter((m) => m.bot_id && /subscribed this channel/.test(m.text ?? '')).length;
  for (let i = 0; i < 600 && confirmed() < CHANNELS * OWNERS.length; i++) await sleep(100);
  figures.subscriptions = confirmed();
  // The changes: pages in MKT, pages and blog posts in ENG and OPS, each with a unique title.
  const titles: Array<{ title: string; owner: number }> = [];
  let killedAt = 0;
  for (let i = 0; i < CHANGES; i++) {
    const owner = i % OWNERS.length;
    const o = OWNERS[owner]!;
    const title = `Soak ${String(i).padStart(4, '0')}`;
    const type = owner > 0 && i % 2 ? 'blogpost' : 'page';
    composio.confluence.addContent(userOf(o.user), o.space, { type, title });
    titles.push({ title, owner });
    if (!values['no-kill'] && i === Math.floor(CHANGES / 2)) {
      apps[0]!.kill('SIGKILL');
      await apps[0]!.exited;
      killedAt = Date.now() - started;
      apps[0] = spawnApp('a2', env);
    }
    await sleep(PACE_MS);
  }
  const lastChangeAt = Date.now();
  const expected = titles.length * CHANNELS;
  const count = () => {
    const perChannel = new Map<string, number>();
    for (const m of delivered()) {
      const text = JSON.stringify(m.blocks);
      for (const hit of text.matchAll(/\|(Soak \d{4})>/g)) {
        const key = `${m.channel}/${hit[1]}`;
        perChannel.set(key, (perChannel.get(key) ?? 0) + 1);
      }
    }
    return perChannel;
  };
  let seen = count();
  const deadline = started + TIMEOUT_MS;
  while (seen.size < expected && Date.now() < deadline) {
    await sleep(500);
    seen = count();
  }
  const completedAfterMs = Date.now() - lastChangeAt;
  // A few more polls: anything posted twice late would show now.
  await sleep(3_000);
  seen = count();
  const twice = [...seen.entries()].filter(([, k]) => k > 1);
  const missing: string[] = [];
  for (const c of channels)
    for (const t of titles) if (!seen.has(`${c}/${t.title}`)) missing.push(`${c}/${t.title}`);
  const messages = delivered();
  Object.assign(figures, {
    channels: CHANNELS,
    changes: titles.length,
    expectedDeliveries: expected,
    delivered: [...seen.values()].reduce((a, b) => a + b, 0),
    duplicates: twice.length,
    missing: missing.length,
    messages: messages.length,
    digests: messages.filter((m) => /changes in/.test(m.text ?? '')).length,
    killedAtMs: killedAt,
    writeMs: lastChangeAt - started,
    completedAfterLastChangeMs: completedAfterMs,
  });
  problems = [
    ...twice.slice(0, 10).map(([k, v]) => `posted ${v} times: ${k}`),
    ...missing.slice(0, 10).map((k) => `missing: ${k}`),
  ];
  if (problems.length)
    for (const a of apps)
      for (const l of a.logs.filter((l) => Number(l.level) >= 40).slice(-8))
        console.error(a.name, JSON.stringify(l).slice(0, 400));
} finally {
  for (const a of apps) a.kill('SIGKILL');
  await Promise.all(apps.map((a) => a.exited));
  await Promise.all([slack.close(), anthropic.close(), composio.close()]);
  await redis.stop();
}
console.table(figures);
console.log(JSON.stringify({ ok: problems.length === 0, figures, problems }, null, 2));
process.exit(problems.length ? 1 : 0);
