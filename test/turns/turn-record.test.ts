/** The checkpointed form of a turn (src/turns/turn-record.ts storedForm). */
import { describe, expect, it } from 'vitest';
import { FILE_OMITTED } from '../../src/agent/history.js';
import { startTurnState } from '../../src/agent/turn-state.js';
import { storedForm, type TurnRecord } from '../../src/turns/turn-record.js';

describe('storedForm', () => {
  it("keeps only the turn's own messages, and never an attached file's bytes", () => {
    const data = Buffer.from('%PDF-1.4 private').toString('base64');
    const state = startTurnState(
      [
        { role: 'user', content: 'earlier' },
        { role: 'assistant', content: 'earlier answer' },
      ],
      [
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } },
        { type: 'text', text: 'make a page of this' },
      ],
    );
    const record: TurnRecord = {
      request: {
        id: 'Ev1',
        source: 'mention',
        teamId: 'T1',
        channel: 'C1',
        threadTs: '1.0',
        messageTs: '1.0',
        userId: 'U1',
        text: 'make a page of this',
        files: [{ id: 'F1', name: 'a.pdf', mimetype: 'application/pdf', size: 16 }],
      },
      composioUserId: 'u',
      state,
      status: 'running',
      approvals: [],
    };
    const stored = storedForm(record);
    expect(JSON.stringify(stored)).not.toContain(data);
    expect(stored.state.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: FILE_OMITTED },
          { type: 'text', text: 'make a page of this' },
        ],
      },
    ]);
    expect(stored.request.files).toEqual(record.request.files); // references, to fetch again
  });
});
