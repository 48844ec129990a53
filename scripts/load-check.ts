import { Redis } from 'ioredis';
import type { AppProcess } from '../test/kit/app-process.js';
import type { FakeComposio } from '../test/kit/fake-composio/index.js';
import type { FakeSlack } from '../test/kit/fake-slack/index.js';

/** The p-th percentile (nearest rank) of a list of numbers, or null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The last `[tN-mM]` marker in a text: the request itself comes after any quoted context. */
export function lastMarker(textValue: string): string | undefined {
  return [...textValue.matchAll(/\[(t\d+-m\d+)\]/g)].at(-1)?.[1];
}

/** What a load run must show, and what it measured. */
export interface RunCheck {
  slack: FakeSlack;
  composio: FakeComposio;
  redisUrl: string;
  apps: AppProcess[];
  threadTs: string[];
  threads: number;
  perThread: number;
  killedAt: number;
  timeoutMs: number;
}

/** Waits for every answer, then checks exactly-once answers, single writes and ordered history. */
export async function checkRun(c: RunCheck) {
  const problems: string[] = [];
  const total = c.threads * c.perThread;
  const answersIn = (t: number) =>
    c.slack
      .messages(`C${t}`, c.threadTs[t]!)
      .filter((m) => m.bot_id)
      .map((m) => c.slack.visibleText(m))
      .filter((v) => v.startsWith('answer '));
  const count = () => c.threadTs.reduce((n, _ts, t) => n + answersIn(t).length, 0);
  await c.slack
    .waitForCall(() => count() >= total, c.timeoutMs)
    .catch(() => problems.push(`only ${count()} of ${total} answers within the time limit`));

  const redis = new Redis(c.redisUrl);
  for (let t = 0; t < c.threads; t++) {
    const expected = Array.from({ length: c.perThread }, (_, m) => `t${t}-m${m}`);
    const seen = answersIn(t).map((a) => a.slice('answer '.length));
    for (const id of expected) {
      const n = seen.filter((s) => s === id).length;
      if (n !== 1) problems.push(`${id} answered ${n} times`);
      const writes = c.composio.confluence.calls.filter(
        (k) =>
          k.slug === 'CONFLUENCE_CREATE_PAGE' && JSON.stringify(k.args).includes(`Page ${id}"`),
      ).length;
      if (writes !== 1) problems.push(`${id} page written ${writes} times`);
    }
    const history = JSON.parse(
      (await redis.get(`load:thread:${c.slack.teamId}:C${t}:${c.threadTs[t]}`)) ?? '[]',
    ) as Array<{ role: string; content: unknown }>;
    const order = history
      .filter((m) => m.role === 'user' && typeof m.content === 'string')
      .map((m) => lastMarker(String(m.content)));
    if (JSON.stringify(order) !== JSON.stringify(expected))
      problems.push(`thread ${t} history order ${JSON.stringify(order)}`);
  }
  await redis.quit();

  const logs: Array<Record<string, unknown>> = c.apps.flatMap((a) =>
    a.logs.map((l) => ({ app: a.name, ...l })),
  );
  const errors = logs.filter((l) => Number(l.level) >= 50);
  for (const e of errors.slice(0, 5))
    problems.push(`error log on ${e.app}: ${JSON.stringify(e).slice(0, 300)}`);
  // Recovery: from the kill to each taken-over turn starting again elsewhere.
  const recoveryMs = c.killedAt
    ? logs
        .filter((l) => l.msg === 'taking over a turn whose worker stopped')
        .map((l) => Number(l.time) - c.killedAt)
        .filter((ms) => ms >= 0)
    : [];
  return {
    problems,
    recoveryMs,
    figures: {
      answers: count(),
      pagesWritten: c.composio.confluence.writeCount('CONFLUENCE_CREATE_PAGE'),
      // Writes a killed worker left in doubt, which the model looked up before writing again.
      inDoubtLookups: c.composio.confluence.calls.filter((k) => k.slug === 'CONFLUENCE_GET_PAGES')
        .length,
      errorLogs: errors.length,
      turnsTakenOver: recoveryMs.length,
    },
  };
}
