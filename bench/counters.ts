import type { Upstreams } from './upstreams.js';

/** Upstream calls made in some span of time. */
export interface CallCounts {
  composioRest: number;
  mcpInitialize: number;
  mcpToolsList: number;
  mcpToolsCall: number;
  modelRequests: number;
  slackCalls: number;
  /** Commands redis-server ran (those inside Lua scripts count too; the app's alone while turns run one at a time). */
  redisCommands: number;
  /** The same, by command name (what a change on the Redis path moved). */
  redisByCommand?: Record<string, number>;
}

/** Commands run since `mark`, by name (those run at least once). */
function redisSince(mark: CallMark, now: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, calls] of Object.entries(now)) {
    const delta = calls - (mark.redis[name] ?? 0);
    if (delta) out[name] = delta;
  }
  return out;
}

/** Where each fake's call log stood at one moment. */
export interface CallMark {
  rest: number;
  mcp: number;
  model: number;
  slack: number;
  redis: Record<string, number>;
}

/** Marks the fakes' call logs now. */
export async function markCalls(up: Upstreams): Promise<CallMark> {
  return {
    redis: await up.redisCommands(),
    rest: up.composio.restCalls.length,
    mcp: up.composio.mcpCalls.length,
    model: up.anthropic.requests.length,
    slack: up.slack.calls.length,
  };
}

/** The calls made since `mark`. */
export async function callsSince(up: Upstreams, mark: CallMark): Promise<CallCounts> {
  const redis = redisSince(mark, await up.redisCommands());
  const mcp = up.composio.mcpCalls.slice(mark.mcp);
  const count = (method: string) => mcp.filter((c) => c.method === method).length;
  return {
    composioRest: up.composio.restCalls.length - mark.rest,
    mcpInitialize: count('initialize'),
    mcpToolsList: count('tools/list'),
    mcpToolsCall: count('tools/call'),
    modelRequests: up.anthropic.requests.length - mark.model,
    slackCalls: up.slack.calls.length - mark.slack,
    redisCommands: Object.values(redis).reduce((a, b) => a + b, 0),
    redisByCommand: redis,
  };
}

/** The counts summarised across turns (the breakdown by command is per turn only). */
const COUNTED = [
  'composioRest',
  'mcpInitialize',
  'mcpToolsList',
  'mcpToolsCall',
  'modelRequests',
  'slackCalls',
  'redisCommands',
] as const;

/** The per-field median of several counts (the typical turn). */
export function typicalCounts(all: readonly CallCounts[]): CallCounts {
  const out = {} as CallCounts;
  for (const key of COUNTED) {
    const sorted = all.map((c) => c[key]).sort((a, b) => a - b);
    out[key] = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
  }
  return out;
}

/** The per-field maximum of several counts (the worst warm turn). */
export function maxCounts(all: readonly CallCounts[]): CallCounts {
  const out = typicalCounts([]);
  for (const c of all) for (const key of COUNTED) out[key] = Math.max(out[key], c[key]);
  return out;
}
