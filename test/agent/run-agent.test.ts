import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../src/agent/agent-config.js';
import type { ModelClient } from '../../src/agent/model-client.js';
import { runAgentTurn } from '../../src/agent/run-agent.js';
import { buildToolCatalog } from '../../src/agent/tool-schema.js';
import { startTurnState, type TurnState } from '../../src/agent/turn-state.js';
import type { ToolHost } from '../../src/agent/types.js';
import { scriptedModel, text, use } from './scripted.js';

const calls: string[] = [];
const host: ToolHost = {
  async listTools() {
    return [];
  },
  async callTool(name, args) {
    calls.push(name);
    if (name === 'boom') throw new Error('socket hang up');
    if (name === 'slow') await new Promise((r) => setTimeout(r, 20));
    return {
      content: [{ type: 'text', text: `${name}:${JSON.stringify(args)}` }],
      isError: name === 'bad',
    };
  },
};
const catalog = buildToolCatalog(
  ['fast', 'slow', 'boom', 'bad', 'dotted.name'].map((name) => ({
    name,
    inputSchema: { type: 'object' },
  })),
);
const base = (model: ModelClient): AgentConfig => ({
  model,
  tools: host,
  catalog,
  system: 'system',
  maxModelCalls: 5,
});
const fresh = (): TurnState => startTurnState([], 'do it');
const run = (config: AgentConfig, state = fresh()) => runAgentTurn(config, state);
const done = async (config: AgentConfig, state = fresh()) => {
  const result = await run(config, state);
  if (result.status !== 'done') throw new Error('turn paused unexpectedly');
  return { ...result, messages: result.state.messages, modelCalls: result.state.modelCalls };
};

describe('runAgentTurn', () => {
  it('runs parallel tool calls and returns their results in request order', async () => {
    const { model, requests } = scriptedModel(
      {
        content: [use('t1', 'slow', { a: 1 }), use('t2', 'fast', {}), use('t3', 'dotted_name', {})],
        stop_reason: 'tool_use',
      },
      { content: [text('done')], stop_reason: 'end_turn' },
    );
    const result = await done(base(model));
    expect(result).toMatchObject({ text: 'done', outcome: 'answered', modelCalls: 2 });
    const results = requests[1]!.messages.at(-1)!.content as Anthropic.ToolResultBlockParam[];
    expect(results.map((r) => r.tool_use_id)).toEqual(['t1', 't2', 't3']);
    expect(JSON.stringify(results[2]!.content)).toContain('dotted.name:{}');
    expect(result.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('turns thrown, failing and unknown tools into is_error results, never a crash', async () => {
    const { model, requests } = scriptedModel(
      {
        content: [use('a', 'boom', {}), use('b', 'bad', {}), use('c', 'nope', {})],
        stop_reason: 'tool_use',
      },
      { content: [text('sorry')], stop_reason: 'end_turn' },
    );
    await done(base(model));
    const results = requests[1]!.messages.at(-1)!.content as Anthropic.ToolResultBlockParam[];
    expect(results.map((r) => r.is_error)).toEqual([true, true, true]);
    expect(JSON.stringify(results[0]!.content)).toContain('socket hang up');
    expect(JSON.stringify(results[2]!.content)).toContain('no tool named nope');
  });

  it('marks the stable prefix for caching, identically on every call', async () => {
    const { model, requests } = scriptedModel(
      { content: [use('a', 'fast', {})], stop_reason: 'tool_use' },
      { content: [text('ok')], stop_reason: 'end_turn' },
    );
    await done(base(model));
    expect(requests[0]!.system[0]!.cache_control).toEqual({ type: 'ephemeral' });
    expect(requests[0]!.tools.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    expect(JSON.stringify([requests[0]!.system, requests[0]!.tools])).toBe(
      JSON.stringify([requests[1]!.system, requests[1]!.tools]),
    );
  });

  it('moves a cache breakpoint to the last block of every request, without storing it', async () => {
    const { model, requests } = scriptedModel(
      { content: [use('a', 'fast', {})], stop_reason: 'tool_use' },
      { content: [text('ok')], stop_reason: 'end_turn' },
    );
    const result = await done(base(model));
    for (const request of requests) {
      const last = request.messages.at(-1)!.content as Array<{ cache_control?: unknown }>;
      expect(last.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
      const marks = JSON.stringify(request).match(/cache_control/g) ?? [];
      expect(marks.length).toBeLessThanOrEqual(4);
    }
    expect(JSON.stringify(result.messages)).not.toContain('cache_control');
  });

  it('stops at the model-call cap with an honest message and a closed history', async () => {
    const loop = () => ({
      content: [use(`t${Math.random()}`, 'fast', {})],
      stop_reason: 'tool_use' as const,
    });
    const { model, requests } = scriptedModel(loop(), loop(), loop());
    const result = await done({ ...base(model), maxModelCalls: 2 });
    expect(requests).toHaveLength(2);
    expect(result.outcome).toBe('max_turns');
    expect(result.text).toMatch(/more steps than I am allowed/);
    expect(result.messages.at(-1)).toMatchObject({ role: 'assistant' });
  });

  it.each([
    ['max_tokens', 'max_tokens', /cut off/],
    ['refusal', 'refusal', /can't help/],
    ['model_context_window_exceeded', 'context_full', /new thread/],
  ] as const)('handles stop reason %s', async (stopReason, outcome, message) => {
    const { model } = scriptedModel({ content: [text('partial')], stop_reason: stopReason });
    const result = await done(base(model));
    expect(result.outcome).toBe(outcome);
    expect(result.text).toMatch(message);
    expect(result.messages.at(-1)!.role).toBe('assistant');
  });

  it('continues after pause_turn', async () => {
    const { model, requests } = scriptedModel(
      { content: [text('working')], stop_reason: 'pause_turn' },
      { content: [text('finished')], stop_reason: 'end_turn' },
    );
    const result = await done(base(model));
    expect(requests).toHaveLength(2);
    expect(result.text).toBe('working\n\nfinished');
  });
});
