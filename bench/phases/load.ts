import { readFileSync } from 'node:fs';
import type { AppStats } from '../app-child.js';
import { pool } from '../driver.js';
import { round } from '../stats.js';
import { type PhaseContext, requireOk } from './context.js';

/** The app after one round (one turn per user), memory measured after a forced GC. */
export interface LoadRound {
  turns: number;
  turnsPerSecond: number;
  rssMb: number;
  heapUsedMb: number;
  /** What V8 holds for its heap, and memory outside it (Buffers, native objects). */
  heapTotalMb: number;
  externalMb: number;
  openFds: number;
  /** Tool Router REST calls and MCP connections opened in the round (0 when every user stays connected). */
  composioRest: number;
  mcpInitialize: number;
}

/** Throughput with instant upstreams, and the app's memory across many turns and users. */
export interface LoadResult {
  turns: number;
  users: number;
  turnsPerSecond: number;
  /** The app process's CPU time (user + system) per turn. */
  cpuMsPerTurn: number;
  /** CPU per turn of the benchmark process (fakes and driver) and of redis-server. */
  benchCpuMsPerTurn: number;
  redisCpuMsPerTurn: number;
  /** RSS after a forced GC: before any load turn, after the first round, after the last. */
  rssBeforeMb: number;
  rssAfterFirstRoundMb: number;
  rssAfterMb: number;
  rssGrowthMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  /** What V8 holds for its heap (used or not) before and after the load. */
  heapTotalBeforeMb: number;
  heapTotalAfterMb: number;
  /**
   * RSS after the load once V8 was told memory is short (a last-resort GC returns the free and
   * pooled heap pages it keeps for reuse): the part of the growth that is V8's high-water mark.
   */
  rssAfterReleaseMb: number;
  /** RSS after `idleSeconds` without turns or forced GC (V8's memory reducer runs when idle); absent when not measured. */
  rssAfterIdleMb?: number;
  rounds: LoadRound[];
}

/** Each user's own channel keeps the fake Slack's per-channel lookups short. */
const channelOf = (user: string) => `CL${user.slice(1)}`;
const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU time of another process from /proc/<pid>/stat (clock ticks of 10 ms), 0 without /proc. */
function procCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * `turns` turns over `users` users, one thread each, in rounds of one turn per user (a user
 * never has two turns at once), `loadConcurrency` turns in flight. Upstreams answer at once.
 */
export async function measureLoad(ctx: PhaseContext, turns: number): Promise<LoadResult> {
  const { up, app, driver, options } = ctx;
  up.setLatency({ modelMs: 0, toolMs: 0, composioMs: 0, slackMs: 0 });
  await up.settle();
  const users = Array.from({ length: Math.min(options.users, turns) }, () => ctx.newUser());
  const threads = new Map<string, string>();
  const before: AppStats = await app.stats();
  const redisPid = up.redis.process.pid;
  const [benchBefore, redisBefore] = [ownCpuMs(), procCpuMs(redisPid)];
  const rounds: LoadRound[] = [];
  let busyMs = 0;
  let done = 0;
  while (done < turns) {
    const batch = users.slice(0, Math.min(users.length, turns - done));
    const startedAt = performance.now();
    const [restAt, mcpAt] = [up.composio.restCalls.length, up.composio.mcpCalls.length];
    const samples = await pool(
      batch.map((user) => async () => {
        const channel = channelOf(user);
        const sample = await driver.turn({ user, channel, threadTs: threads.get(user) });
        threads.set(user, sample.threadTs);
        return sample;
      }),
      options.loadConcurrency,
    );
    const roundMs = performance.now() - startedAt;
    busyMs += roundMs;
    requireOk('load', samples);
    done += batch.length;
    const composioRest = up.composio.restCalls.length - restAt;
    const mcpInitialize = up.composio.mcpCalls
      .slice(mcpAt)
      .filter((c) => c.method === 'initialize').length;
    up.forgetCalls();
    await up.settle();
    const stats = await app.stats();
    rounds.push({
      turns: done,
      turnsPerSecond: round(batch.length / (roundMs / 1000), 1),
      rssMb: mb(stats.rssBytes),
      heapUsedMb: mb(stats.heapUsedBytes),
      heapTotalMb: mb(stats.heapTotalBytes),
      externalMb: mb(stats.externalBytes),
      openFds: stats.openFds,
      composioRest,
      mcpInitialize,
    });
    const last = rounds.at(-1)!;
    ctx.log(
      `    ${done}/${turns} turns, ${last.turnsPerSecond}/s, RSS ${last.rssMb} MB, ${mcpInitialize} MCP connects`,
    );
  }
  const after = await app.stats();
  if (options.idleSeconds > 0) {
    await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
  }
  const idle = options.idleSeconds > 0 ? await app.stats({ gc: false }) : undefined;
  const released = await app.stats({ gc: 'last-resort' });
  const perTurn = (ms: number) => round(ms / turns, 2);
  return {
    turns,
    users: users.length,
    turnsPerSecond: round(turns / (busyMs / 1000), 1),
    cpuMsPerTurn: perTurn(after.cpuMs - before.cpuMs),
    benchCpuMsPerTurn: perTurn(ownCpuMs() - benchBefore),
    redisCpuMsPerTurn: perTurn(procCpuMs(redisPid) - redisBefore),
    rssBeforeMb: mb(before.rssBytes),
    rssAfterFirstRoundMb: rounds[0]?.rssMb ?? mb(before.rssBytes),
    rssAfterMb: mb(after.rssBytes),
    rssGrowthMb: round(mb(after.rssBytes) - mb(before.rssBytes), 1),
    heapBeforeMb: mb(before.heapUsedBytes),
    heapAfterMb: mb(after.heapUsedBytes),
    heapTotalBeforeMb: mb(before.heapTotalBytes),
    heapTotalAfterMb: mb(after.heapTotalBytes),
    rssAfterReleaseMb: mb(released.rssBytes),
    ...(idle ? { rssAfterIdleMb: mb(idle.rssBytes) } : {}),
    rounds,
  };
}
