import { describe, expect, it } from 'vitest';
import type { AgentTurnResult } from '../../src/agent/agent-config.js';
import { runAgentTurn } from '../../src/agent/run-agent.js';
import { startTurnState, type TurnState } from '../../src/agent/turn-state.js';
import {
  lastResults,
  multi,
  recordingHost,
  routerConfig,
  scriptedModel,
  text,
  use,
} from './scripted.js';

const DELETE = multi(['CONFLUENCE_DELETE_PAGE', { id: '65540' }]);
const READ = multi(['CONFLUENCE_GET_SPACES', {}]);
const SEARCH = { queries: [{ use_case: 'delete a page' }] };

/** The first model response: a destructive multi-execute between two harmless calls. */
const batch = () => ({
  content: [
    text('Deleting it.'),
    use('t_search', 'COMPOSIO_SEARCH_TOOLS', SEARCH),
    use('t_delete', 'COMPOSIO_MULTI_EXECUTE_TOOL', DELETE),
    use('t_read', 'COMPOSIO_MULTI_EXECUTE_TOOL', READ),
  ],
  stop_reason: 'tool_use' as const,
});

/** As stored in Redis between the pause and the click. */
const persisted = (result: AgentTurnResult): TurnState => JSON.parse(JSON.stringify(result.state));

async function pauseOnDelete() {
  const { model, requests } = scriptedModel(batch());
  const { host, calls } = recordingHost();
  const paused = await runAgentTurn(
    routerConfig(model, host),
    startTurnState([], 'delete page 65540'),
  );
  return { paused, requests, calls };
}

describe('approval gate in runAgentTurn', () => {
  it('pauses on a delete inside multi-execute while the other calls of the batch run', async () => {
    const { paused, requests, calls } = await pauseOnDelete();
    expect(paused.status).toBe('paused');
    if (paused.status !== 'paused') return;
    expect(paused.approvals).toEqual([
      {
        toolUseId: 't_delete',
        toolName: 'COMPOSIO_MULTI_EXECUTE_TOOL',
        slugs: ['CONFLUENCE_DELETE_PAGE'],
        input: DELETE,
      },
    ]);
    expect(paused.text).toBe('Deleting it.');
    expect(calls.map((c) => c.args)).toEqual([SEARCH, READ]);
    expect(Object.keys(paused.state.results).sort()).toEqual(['t_read', 't_search']);
    // Nothing goes back to the model until every call has its result.
    expect(requests).toHaveLength(1);
    expect(paused.state.messages.at(-1)!.role).toBe('assistant');
  });

  it('runs the approved call once on resume, without re-running the others', async () => {
    const { paused } = await pauseOnDelete();
    const state = persisted(paused);
    state.decisions.t_delete = 'approved';
    const { model, requests } = scriptedModel({
      content: [text('Deleted.')],
      stop_reason: 'end_turn',
    });
    const { host, calls } = recordingHost();
    const done = await runAgentTurn(routerConfig(model, host), state);
    expect(done).toMatchObject({ status: 'done', outcome: 'answered' });
    expect(calls).toEqual([{ name: 'COMPOSIO_MULTI_EXECUTE_TOOL', args: DELETE }]);
    const results = lastResults(requests[0]!);
    expect(results.map((r) => r.tool_use_id)).toEqual(['t_search', 't_delete', 't_read']);
    expect(results.map((r) => r.is_error ?? false)).toEqual([false, false, false]);
    expect(JSON.stringify(results[1]!.content)).toContain('CONFLUENCE_DELETE_PAGE');
    expect(done.text).toBe('Deleting it.\n\nDeleted.');
  });

  it('gives Claude an is_error "declined" result on deny, and never runs the call', async () => {
    const { paused } = await pauseOnDelete();
    const state = persisted(paused);
    state.decisions.t_delete = 'denied';
    const { model, requests } = scriptedModel({
      content: [text('Understood, I left it.')],
      stop_reason: 'end_turn',
    });
    const { host, calls } = recordingHost();
    const done = await runAgentTurn(routerConfig(model, host), state);
    expect(done.status).toBe('done');
    expect(calls).toEqual([]);
    const declined = lastResults(requests[0]!).find((r) => r.tool_use_id === 't_delete')!;
    expect(declined.is_error).toBe(true);
    expect(JSON.stringify(declined.content)).toMatch(/declined/);
  });

  it("pauses on the operator's extra destructive slugs", async () => {
    const { model } = scriptedModel({
      content: [use('t1', 'COMPOSIO_MULTI_EXECUTE_TOOL', multi(['CONFLUENCE_UPDATE_PAGE', {}]))],
      stop_reason: 'tool_use',
    });
    const { host, calls } = recordingHost();
    const config = {
      ...routerConfig(model, host),
      extraDestructive: new Set(['CONFLUENCE_UPDATE_PAGE']),
    };
    const result = await runAgentTurn(config, startTurnState([], 'update it'));
    expect(result.status).toBe('paused');
    expect(calls).toEqual([]);
  });

  it('runs writes that are not destructive without asking', async () => {
    const { model } = scriptedModel(
      {
        content: [use('t1', 'COMPOSIO_MULTI_EXECUTE_TOOL', multi(['CONFLUENCE_CREATE_PAGE', {}]))],
        stop_reason: 'tool_use',
      },
      { content: [text('Created.')], stop_reason: 'end_turn' },
    );
    const { host, calls } = recordingHost();
    const result = await runAgentTurn(routerConfig(model, host), startTurnState([], 'create'));
    expect(result.status).toBe('done');
    expect(calls).toHaveLength(1);
  });
});
