import type { Upstreams } from './upstreams.js';

/** Upstream calls made in some span of time. */
export interface CallCounts {
  composioRest: number;
  mcpInitialize: number;
  mcpToolsList: number;
  mcpToolsCall: number;
  modelRequests: number;
  slackCalls: number;
}

/** Where each fake's call log stood at one moment. */
export interface CallMark {
  rest: number;
  mcp: number;
  model: number;
  slack: number;
}

/** Marks the fakes' call logs now. */
export function markCalls(up: Upstreams): CallMark {
  return {
    rest: up.composio.restCalls.length,
    mcp: up.composio.mcpCalls.length,
    model: up.anthropic.requests.length,
    slack: up.slack.calls.length,
  };
}

/** The calls made since `mark`. */
export function callsSince(up: Upstreams, mark: CallMark): CallCounts {
  const mcp = up.composio.mcpCalls.slice(mark.mcp);
  const count = (method: string) => mcp.filter((c) => c.method === method).length;
  return {
    composioRest: up.composio.restCalls.length - mark.rest,
    mcpInitialize: count('initialize'),
    mcpToolsList: count('tools/list'),
    mcpToolsCall: count('tools/call'),
    modelRequests: up.anthropic.requests.length - mark.model,
    slackCalls: up.slack.calls.length - mark.slack,
  };
}

/** The per-field median of several counts (the typical turn). */
export function typicalCounts(all: readonly CallCounts[]): CallCounts {
  const keys = [
    'composioRest',
    'mcpInitialize',
    'mcpToolsList',
    'mcpToolsCall',
    'modelRequests',
    'slackCalls',
  ] as const;
  const out = {} as CallCounts;
  for (const key of keys) {
    const sorted = all.map((c) => c[key]).sort((a, b) => a - b);
    out[key] = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
  }
  return out;
}

/** The per-field maximum of several counts (the worst warm turn). */
export function maxCounts(all: readonly CallCounts[]): CallCounts {
  const out = typicalCounts([]);
  for (const c of all)
    for (const key of Object.keys(out) as Array<keyof CallCounts>)
      out[key] = Math.max(out[key], c[key]);
  return out;
}
