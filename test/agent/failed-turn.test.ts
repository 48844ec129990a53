import { describe, expect, it } from 'vitest';
import {
  closeFailedTurn,
  completedWrites,
  describeWrite,
  doneBeforeFailure,
} from '../../src/agent/failed-turn.js';
import { startTurnState, type TurnState } from '../../src/agent/turn-state.js';

const multi = (id: string, items: Array<[string, unknown]>) => ({
  type: 'tool_use' as const,
  id,
  name: 'COMPOSIO_MULTI_EXECUTE_TOOL',
  input: { tools: items.map(([tool_slug, args]) => ({ tool_slug, arguments: args })) },
});
const result = (id: string, isError = false) => ({
  type: 'tool_result' as const,
  tool_use_id: id,
  content: isError ? 'failed' : '{"successful":true}',
  ...(isError ? { is_error: true } : {}),
});

/** A turn after one history exchange: the request, a batch that ran, then a pending batch. */
function turn(): TurnState {
  const state = startTurnState(
    [
      { role: 'user', content: 'earlier' },
      { role: 'assistant', content: 'earlier answer' },
    ],
    'tidy up MKT',
  );
  state.messages.push(
    {
      role: 'assistant',
      content: [
        multi('t1', [
          ['CONFLUENCE_GET_SPACES', {}],
          ['CONFLUENCE_CREATE_PAGE', { title: 'Launch Plan', spaceId: '1' }],
        ]),
        multi('t2', [['CONFLUENCE_DELETE_PAGE', { id: '98765' }]]),
        multi('t3', [['CONFLUENCE_SEARCH_CONTENT', { query: 'x' }]]),
      ],
    },
    { role: 'user', content: [result('t1'), result('t2', true), result('t3')] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Now the label.' },
        multi('t4', [['CONFLUENCE_ADD_LABEL', { label: 'urgent' }]]),
        multi('t5', [['CONFLUENCE_UPDATE_PAGE', { id: 7 }]]),
        multi('t6', [['CONFLUENCE_ARCHIVE_PAGE', { id: 8 }]]),
      ],
    },
  );
  state.results = { t4: result('t4') };
  state.started = ['t5'];
  return state;
}

describe('a failed turn', () => {
  it('names the writes that came back without an error, not reads, failures or calls in flight', () => {
    expect(completedWrites(turn())).toEqual(['created page *Launch Plan*', 'added label *urgent*']);
  });

  it('words a write from its slug and arguments', () => {
    expect(describeWrite('CONFLUENCE_DELETE_PAGE', { id: '98765' })).toBe('deleted page 98765');
    expect(describeWrite('CONFLUENCE_UPDATE_PAGE', { title: ' Q3 ' })).toBe('updated page *Q3*');
    expect(describeWrite('CONFLUENCE_WHATEVER', {})).toBe('ran `CONFLUENCE_WHATEVER`');
  });

  it('sums the writes up in one sentence, counting past five', () => {
    expect(doneBeforeFailure([])).toBe('');
    expect(doneBeforeFailure(['created page *A*'])).toBe('I created page *A*, then had to stop.');
    expect(doneBeforeFailure(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe(
      'I a, b, c, d, e and 2 more changes, then had to stop.',
    );
  });

  it('closes the turn so the history stays valid: every call has a result, then the note', () => {
    const closed = closeFailedTurn(turn(), 'It failed.');
    // Only this turn's messages: the request first.
    expect(closed[0]).toEqual({ role: 'user', content: 'tidy up MKT' });
    const results = closed.at(-2)!.content as Array<{ tool_use_id: string; content: string }>;
    expect(results.map((r) => r.tool_use_id)).toEqual(['t4', 't5', 't6']);
    expect(results[0]!.content).toBe('{"successful":true}');
    expect(results[1]!.content).toMatch(/may or may not have taken effect/);
    expect(results[2]!.content).toMatch(/Not run/);
    expect(closed.at(-1)).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'It failed.' }],
    });
  });

  it('adds the note to a last assistant message instead of a second one in a row', () => {
    const state = startTurnState([], 'hello');
    state.messages.push({ role: 'assistant', content: 'Half an answer' });
    expect(closeFailedTurn(state, 'It failed.')).toEqual([
      { role: 'user', content: 'hello' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Half an answer' },
          { type: 'text', text: 'It failed.' },
        ],
      },
    ]);
  });
});
