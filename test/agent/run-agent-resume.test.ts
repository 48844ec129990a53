import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { runAgentTurn } from '../../src/agent/run-agent.js';
import type { TurnState } from '../../src/agent/turn-state.js';
import {
  lastResults,
  multi,
  recordingHost,
  routerConfig,
  scriptedModel,
  text,
  use,
} from './scripted.js';

const WRITE = multi(['CONFLUENCE_CREATE_PAGE', { spaceId: 'MKT', title: 'Plan' }]);
const READ = multi(['CONFLUENCE_GET_SPACES', {}]);
const answer = () => ({ content: [text('All done.')], stop_reason: 'end_turn' as const });
const resultOf = (id: string, body: string): Anthropic.ToolResultBlockParam => ({
  type: 'tool_result',
  tool_use_id: id,
  content: [{ type: 'text', text: body }],
});

/** A turn's state before its first model call: the user said "go". */
const goTurn = (): TurnState => ({
  messages: [{ role: 'user', content: 'go' }],
  turnStart: 0,
  modelCalls: 0,
  results: {},
  started: [],
  decisions: {},
});

/** A checkpoint taken while three calls were out: one finished, a write and a read in flight. */
function crashedState(): TurnState {
  return {
    messages: [
      { role: 'user', content: 'create the plan page' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'w1', name: 'COMPOSIO_MULTI_EXECUTE_TOOL', input: WRITE },
          { type: 'tool_use', id: 'r1', name: 'COMPOSIO_MULTI_EXECUTE_TOOL', input: READ },
          { type: 'tool_use', id: 's1', name: 'COMPOSIO_SEARCH_TOOLS', input: { queries: [] } },
        ],
      },
    ],
    turnStart: 0,
    modelCalls: 1,
    results: { s1: resultOf('s1', 'search finished before the crash') },
    started: ['w1', 'r1'],
    decisions: {},
  };
}

describe('resuming an interrupted turn', () => {
  it('reports a started write as in doubt instead of running it again, and re-runs a started read', async () => {
    const { model, requests } = scriptedModel(answer());
    const { host, calls } = recordingHost();
    const done = await runAgentTurn(routerConfig(model, host), crashedState());
    expect(done.status).toBe('done');
    expect(calls).toEqual([{ name: 'COMPOSIO_MULTI_EXECUTE_TOOL', args: READ }]);
    const results = lastResults(requests[0]!);
    expect(results.map((r) => r.tool_use_id)).toEqual(['w1', 'r1', 's1']);
    expect(results[0]!.is_error).toBe(true);
    expect(JSON.stringify(results[0]!.content)).toMatch(
      /interrupted.*may or may not have taken effect/,
    );
    expect(results[1]!.is_error).toBeUndefined();
    expect(JSON.stringify(results[2]!.content)).toContain('search finished before the crash');
    expect(done.state.modelCalls).toBe(2);
  });

  it('treats an approved delete that had started as in doubt too', async () => {
    const state = crashedState();
    const last = state.messages[1]!.content as Anthropic.ToolUseBlockParam[];
    last[0]!.input = multi(['CONFLUENCE_DELETE_PAGE', { id: '1' }]);
    state.decisions = { w1: 'approved' };
    const { model, requests } = scriptedModel(answer());
    const { host, calls } = recordingHost();
    await runAgentTurn(routerConfig(model, host), state);
    expect(calls.map((c) => c.args)).toEqual([READ]);
    expect(lastResults(requests[0]!)[0]!.is_error).toBe(true);
  });
});

describe('checkpoints', () => {
  it('saves after each response asking for tools, before writes start, after each result others still wait beside, and once the results are in', async () => {
    const { model } = scriptedModel(
      {
        content: [
          use('a', 'COMPOSIO_SEARCH_TOOLS', {}),
          use('b', 'COMPOSIO_MULTI_EXECUTE_TOOL', WRITE),
        ],
        stop_reason: 'tool_use',
      },
      answer(),
    );
    const saved: TurnState[] = [];
    let release: () => void = () => {};
    const bDone = new Promise<void>((resolve) => {
      release = resolve;
    });
    const startedWhenCalled: string[][] = [];
    const { host } = recordingHost(async (name) => {
      startedWhenCalled.push(saved.at(-1)!.started);
      if (name === 'COMPOSIO_MULTI_EXECUTE_TOOL') await bDone;
      else setImmediate(release);
      return { content: [{ type: 'text', text: name }], isError: false };
    });
    const config = {
      ...routerConfig(model, host),
      onCheckpoint: async (s: TurnState) => void saved.push(structuredClone(s)),
    };
    const done = await runAgentTurn(config, goTurn());
    const shape = saved.map((s) => ({
      last: s.messages.at(-1)!.role,
      calls: s.modelCalls,
      results: Object.keys(s.results),
      started: s.started,
    }));
    expect(shape).toEqual([
      { last: 'assistant', calls: 1, results: [], started: [] }, // first response
      { last: 'assistant', calls: 1, results: [], started: ['a', 'b'] }, // calls about to run
      { last: 'assistant', calls: 1, results: ['a'], started: ['b'] }, // a's result, b running
      // b's result, the last, is saved with the results handed to the model, a moment later.
      { last: 'user', calls: 1, results: [], started: [] }, // results handed to the model
      // The final answer is the caller's to save, with the finished turn.
    ]);
    // Write-ahead: when a call starts, the stored state already names it as started.
    expect(startedWhenCalled).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    // Snapshots, not the live state: later changes do not leak into earlier checkpoints.
    expect(saved[0]!.messages).toHaveLength(2);
    expect(done.state.messages).toHaveLength(4);

    // Resuming from the checkpoint after a's result re-runs only what had not finished.
    const resumed = recordingHost();
    const again = scriptedModel(answer());
    await runAgentTurn(routerConfig(again.model, resumed.host), structuredClone(saved[2]!));
    expect(resumed.calls).toEqual([]);
    expect(lastResults(again.requests[0]!)[1]!.is_error).toBe(true);
  });

  it('saves twice in a turn that reads once: after the response asking for it, and with its result', async () => {
    // The bench's standard turn: each save is a whole record written to Redis.
    const { model } = scriptedModel(
      { content: [use('r', 'COMPOSIO_MULTI_EXECUTE_TOOL', READ)], stop_reason: 'tool_use' },
      answer(),
    );
    const saved: TurnState[] = [];
    const done = await runAgentTurn(
      {
        ...routerConfig(model, recordingHost().host),
        onCheckpoint: async (s: TurnState) => void saved.push(structuredClone(s)),
      },
      goTurn(),
    );
    expect(done.status).toBe('done');
    expect(saved.map((s) => [s.messages.at(-1)!.role, s.started])).toEqual([
      ['assistant', []],
      ['user', []],
    ]);
  });

  it('lets a write start only once the checkpoint naming it has landed; a read need not wait', async () => {
    // A store whose writes land a little later, as over a network.
    const landed: TurnState[] = [];
    const slowStore = (s: TurnState) => {
      const copy = structuredClone(s);
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          landed.push(copy);
          resolve();
        }, 5),
      );
    };
    const run = async (input: unknown) => {
      landed.length = 0;
      const { model } = scriptedModel(
        { content: [use('t', 'COMPOSIO_MULTI_EXECUTE_TOOL', input)], stop_reason: 'tool_use' },
        answer(),
      );
      let startedLanded: boolean | undefined;
      const { host } = recordingHost(async (name) => {
        startedLanded = landed.some((l) => l.started.includes('t'));
        return { content: [{ type: 'text', text: name }], isError: false };
      });
      const done = await runAgentTurn(
        { ...routerConfig(model, host), onCheckpoint: slowStore },
        goTurn(),
      );
      // Every checkpoint has landed by the time the turn returns, the last one holding all but
      // the final answer (which the caller saves with the finished turn).
      expect(landed.at(-1)!.messages).toHaveLength(done.state.messages.length - 1);
      return startedLanded;
    };
    expect(await run(WRITE)).toBe(true);
    expect(await run(READ)).toBe(false);
  });
});
