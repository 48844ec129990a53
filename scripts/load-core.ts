/** A bounded load run of durable turns on two app processes; see scripts/load-run.ts. */
import { spawnApp } from '../test/kit/app-process.js';
import { startFakeAnthropic, text, toolUse } from '../test/kit/fake-anthropic/index.js';
import { startFakeComposio } from '../test/kit/fake-composio/index.js';
import { createSlackRequester, startFakeSlack } from '../test/kit/fake-slack/index.js';
import { fakesEnv } from '../test/kit/fakes-env.js';
import { spawnRedis } from '../test/kit/redis-server.js';
import { checkRun, lastMarker, percentile } from './load-check.js';

/** Options of one load run. */
export interface LoadOptions {
  threads: number;
  perThread: number;
  /** Share of events delivered a second time, to the other instance, as a Slack retry. */
  retryShare: number;
  /** SIGKILL one instance once 40% of the turns are answered, then restart it. */
  kill: boolean;
  timeoutMs: number;
}

/** Runs the load and returns its figures and any broken promise (empty when all held). */
export async function runLoad(o: LoadOptions) {
  const TOTAL = o.threads * o.perThread;
  const SECRET = 'load-secret';
  const USER = 'U0LOAD';
  const redis = await spawnRedis();
  const [slack, anthropic, composio] = await Promise.all([
    startFakeSlack(),
    startFakeAnthropic(),
    startFakeComposio(),
  ]);
  composio.connect(`slack-${slack.teamId}-${USER}`);
  const marker = (m: unknown) => lastMarker(JSON.stringify(m ?? ''));
  // Each turn writes one page named after its marker, then answers with the marker. Like Claude
  // told a write is in doubt (its worker died mid-call), it looks the page up before writing again.
  anthropic.respondWith((req) => {
    const messages = req.body.messages as Array<{ role: string; content: unknown }>;
    const lastText = JSON.stringify(messages.at(-1)!.content);
    const lastCall = JSON.stringify(messages.at(-2)?.content ?? '');
    const id =
      marker(
        messages
          .filter((m) => m.role === 'user' && !JSON.stringify(m.content).includes('tool_result'))
          .at(-1),
      ) ?? 'none';
    const title = `Page ${id}`;
    const call = (tool_slug: string, args: Record<string, unknown>) => ({
      content: [
        toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', { tools: [{ tool_slug, arguments: args }] }),
      ],
    });
    const create = () =>
      call('CONFLUENCE_CREATE_PAGE', {
        spaceId: 'MKT',
        title,
        body: { storage: { representation: 'storage', value: `<p>${id}</p>` } },
      });
    if (!lastText.includes('tool_result')) return create();
    if (lastText.includes('may or may not have taken effect'))
      return call('CONFLUENCE_GET_PAGES', { spaceId: 'MKT', title });
    if (lastCall.includes('CONFLUENCE_GET_PAGES') && !lastText.includes(title)) return create();
    return { content: [text(`answer ${id}`)] };
  });
  const env = {
    ...fakesEnv({ slack, anthropic, composio }, SECRET, redis.url),
    REDIS_KEY_PREFIX: 'load',
    TURN_LOCK_MS: '3000',
    TURN_STALLED_CHECK_MS: '1000',
    LOG_LEVEL: 'info',
  };
  const apps = [spawnApp('a', env), spawnApp('b', env)];
  try {
    const urls = await Promise.all(
      apps.map(async (a) => `http://127.0.0.1:${await a.port()}/slack/events`),
    );
    const requester = createSlackRequester(SECRET);
    const started = Date.now();
    let retries = 0;
    let killedAt = 0;
    const answered = () =>
      slack.calls.filter(
        (c) =>
          c.method === 'chat.stopStream' ||
          c.method === 'chat.postMessage' ||
          c.method === 'chat.update',
      ).length;
    const runThread = async (t: number) => {
      let threadTs = '';
      for (let m = 0; m < o.perThread; m++) {
        const words = `<@${slack.botUserId}> do [t${t}-m${m}]`;
        const msg = slack.addMessage({
          channel: `C${t}`,
          user: USER,
          text: words,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
        threadTs ||= msg.ts;
        const event = {
          type: 'app_mention',
          user: USER,
          text: words,
          ts: msg.ts,
          channel: `C${t}`,
          ...(m ? { thread_ts: threadTs } : {}),
        };
        const sent = await requester.event(urls[(t + m) % 2]!, event);
        if (Math.random() < o.retryShare) {
          retries += 1;
          await requester.event(urls[(t + m + 1) % 2]!, event, {
            eventId: sent.eventId,
            retryNum: 1,
            retryReason: 'http_timeout',
          });
        }
      }
      return threadTs;
    };
    const threadTs = await Promise.all(Array.from({ length: o.threads }, (_, t) => runThread(t)));
    const sentAt = Date.now();
    if (o.kill) {
      await slack.waitForCall(() => answered() >= Math.floor(TOTAL * 0.4), o.timeoutMs);
      apps[0]!.kill('SIGKILL');
      killedAt = Date.now();
      await apps[0]!.exited;
      apps.push(spawnApp('a-restarted', env));
      await apps.at(-1)!.port();
    }
    const report = await checkRun({
      slack,
      composio,
      redisUrl: redis.url,
      apps,
      threadTs,
      threads: o.threads,
      perThread: o.perThread,
      killedAt,
      timeoutMs: o.timeoutMs,
    });
    const seconds = (Date.now() - started) / 1000;
    const figures = {
      turns: TOTAL,
      threads: o.threads,
      injectedRetries: retries,
      instanceKilled: o.kill,
      secondsTotal: Number(seconds.toFixed(1)),
      secondsToSend: Number(((sentAt - started) / 1000).toFixed(1)),
      turnsPerSecond: Number((TOTAL / seconds).toFixed(1)),
      ...report.figures,
      recoveryMsP50: percentile(report.recoveryMs, 50),
      recoveryMsMax: report.recoveryMs.length ? Math.max(...report.recoveryMs) : null,
    };
    return { figures, problems: report.problems };
  } finally {
    for (const app of apps) app.kill('SIGKILL');
    await Promise.all(apps.map((a) => a.exited));
    await Promise.all([slack.close(), anthropic.close(), composio.close(), redis.stop()]);
  }
}
