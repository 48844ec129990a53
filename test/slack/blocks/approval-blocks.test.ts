import { describe, expect, it } from 'vitest';
import {
  type DescribedOperation,
  describe as describeOp,
  describeWithoutLookup,
} from '../../../src/confluence/operations.js';
import {
  APPROVE_ACTION,
  approvalBlocks,
  approvalDetailsView,
  DENY_ACTION,
  DETAILS_ACTION,
  decidedBlocks,
  INLINE_MAX,
  MESSAGE_MAX_BLOCKS,
  MODAL_MAX_BLOCKS,
  sectionBlocks,
} from '../../../src/slack/blocks/approval-blocks.js';
import type { TurnRequest } from '../../../src/turns/turn-request.js';

const request: TurnRequest = {
  id: 'Ev0APPROVAL',
  source: 'mention',
  teamId: 'T0TEAM',
  channel: 'C0DOCS',
  threadTs: '1.1',
  messageTs: '1.1',
  userId: 'U0GRACE',
  text: 'delete them all',
};

/** `count` page deletes, each found by its lookup (a long title, to fill the sections). */
function foundDeletes(count: number): DescribedOperation[] {
  return Array.from({ length: count }, (_, i) =>
    describeOp(
      { slug: 'CONFLUENCE_DELETE_PAGE', args: { id: String(100_000 + i) } },
      {
        status: 'found',
        page: {
          title: `Stale page ${i} from the old wiki ${'that nobody reads '.repeat(4)}`,
          spaceKey: 'MKT',
          version: 3,
          editedAt: '2025-01-02T03:04:05.000Z',
          url: `https://acme.atlassian.net/wiki/spaces/MKT/pages/${100_000 + i}/Stale`,
        },
      },
    ),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON is checked field by field.
const texts = (blocks: any[]) =>
  blocks.flatMap((b) =>
    b.type === 'section'
      ? [b.text.text as string]
      : b.type === 'context'
        ? b.elements.map((e: { text: string }) => e.text)
        : [],
  );
// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON.
const actionIds = (blocks: any[]) =>
  blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements.map((e: { action_id: string }) => e.action_id));

describe('approvalBlocks', () => {
  it('names one page in words, linked, with its exact operation in a context line', () => {
    const blocks = approvalBlocks(request, foundDeletes(1));
    expect(blocks.map((b) => b.type)).toEqual(['section', 'context', 'context', 'actions']);
    const [body, exact, who] = texts(blocks);
    expect(body).toBe(
      '<@U0GRACE>, this would make a change that cannot be undone:\n' +
        '• Delete page <https://acme.atlassian.net/wiki/spaces/MKT/pages/100000/Stale|“Stale page 0 from the old wiki that nobody reads that nobody reads that nobody reads that nobody reads ”> in space MKT (version 3, last edited <!date^1735787045^{ago}|2025-01-02 03:04 UTC>)',
    );
    expect(exact).toBe('`CONFLUENCE_DELETE_PAGE` `{"id":"100000"}`');
    expect(who).toBe('Only <@U0GRACE> can approve it.');
    expect(actionIds(blocks)).toEqual([APPROVE_ACTION, DENY_ACTION]);
  });

  it(`lists up to ${INLINE_MAX} operations one by one; more show counts and a See all button`, () => {
    const few = approvalBlocks(request, foundDeletes(INLINE_MAX));
    expect(texts(few)[0]!.split('\n• ')).toHaveLength(INLINE_MAX + 1);
    expect(actionIds(few)).toEqual([APPROVE_ACTION, DENY_ACTION]);

    const many = [
      ...foundDeletes(48),
      ...describeWithoutLookup([
        {
          toolUseId: 't',
          toolName: 'COMPOSIO_MULTI_EXECUTE_TOOL',
          slugs: [],
          input: {
            tools: [
              { tool_slug: 'CONFLUENCE_DELETE_SPACE', arguments: { spaceKey: 'OLD' } },
              { tool_slug: 'CONFLUENCE_PURGE_EVERYTHING', arguments: { really: true } },
            ],
          },
        },
      ]),
    ];
    const blocks = approvalBlocks(request, many);
    expect(blocks.length).toBeLessThanOrEqual(MESSAGE_MAX_BLOCKS);
    const [body, who] = texts(blocks);
    expect(body).toBe(
      '<@U0GRACE>, this would make 50 changes that cannot be undone:\n' +
        '• Delete 48 pages\n• Delete 1 space\n• 1 × `CONFLUENCE_PURGE_EVERYTHING`',
    );
    expect(who).toContain('*See all 50*');
    expect(actionIds(blocks)).toEqual([APPROVE_ACTION, DENY_ACTION, DETAILS_ACTION]);
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON.
    const details = (blocks.at(-1) as any).elements[2];
    expect(details).toMatchObject({ text: { text: 'See all 50' }, value: request.id });
  });

  it('says how many lookups failed in a long batch', () => {
    const failed = Array.from({ length: 7 }, (_, i) =>
      describeOp(
        { slug: 'CONFLUENCE_DELETE_PAGE', args: { id: String(i) } },
        { status: 'failed', reason: 'not found' },
      ),
    );
    const body = texts(approvalBlocks(request, [...foundDeletes(3), ...failed]))[0]!;
    expect(body).toContain('_7 of them could not be looked up: the full list shows their ids._');
    expect(body).toContain('• Delete 10 pages');
  });

  it('keeps every text within 3,000 characters, however long the arguments', () => {
    const huge = describeWithoutLookup([
      {
        toolUseId: 't',
        toolName: 'COMPOSIO_MULTI_EXECUTE_TOOL',
        slugs: [],
        input: {
          tools: Array.from({ length: 5 }, () => ({
            tool_slug: 'X'.repeat(5_000),
            arguments: { body: 'y'.repeat(50_000) },
          })),
        },
      },
    ]);
    for (const text of texts(approvalBlocks(request, huge)))
      expect(text.length).toBeLessThanOrEqual(3_000);
  });
});

describe('decidedBlocks', () => {
  it('says who decided and when, in Slack date formatting, with no buttons', () => {
    const at = new Date('2025-03-04T05:06:07.000Z');
    const blocks = decidedBlocks({ decision: 'approved', userId: 'U0GRACE', at }, foundDeletes(1));
    expect(actionIds(blocks)).toEqual([]);
    expect(texts(blocks)[0]).toMatch(
      /^:white_check_mark: Approved by <@U0GRACE> <!date\^1741064767\^\{date_short_pretty\} at \{time\}\|2025-03-04 05:06 UTC>:\n• Delete page <https:/,
    );
    const denied = decidedBlocks({ decision: 'denied', userId: 'U0GRACE', at }, foundDeletes(50));
    expect(actionIds(denied)).toEqual([]);
    expect(texts(denied)[0]).toMatch(
      /^:no_entry_sign: Denied by <@U0GRACE> <!date\^.*\n• Delete 50 pages$/,
    );
  });
});

describe('approvalDetailsView', () => {
  it('lists every operation, in words and exactly, within a modal’s limits', () => {
    for (const count of [6, 50, 400]) {
      const view = approvalDetailsView(foundDeletes(count));
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(view.blocks.length).toBeLessThanOrEqual(MODAL_MAX_BLOCKS);
      const all = texts(view.blocks);
      for (const text of all) expect(text.length).toBeLessThanOrEqual(3_000);
      const joined = all.join('\n');
      expect(joined).not.toContain('more not shown');
      for (let i = 0; i < count; i++) {
        expect(joined).toContain(`“Stale page ${i} from`);
        expect(joined).toContain(`\`{"id":"${100_000 + i}"}\``);
      }
    }
  });
});

describe('sectionBlocks', () => {
  it('fits any number of lines within the section and block limits', () => {
    for (const count of [0, 1, 10, 100, 1_000]) {
      const lines = Array.from({ length: count }, (_, i) => `line ${i} ${'x'.repeat(i % 700)}`);
      const blocks = sectionBlocks('Head:', lines, 'Tail.');
      expect(blocks.length).toBeLessThanOrEqual(10);
      const all = texts(blocks);
      for (const text of all) expect(text.length).toBeLessThanOrEqual(3_000);
      expect(all[0]!.startsWith('Head:')).toBe(true);
      expect(all.at(-1)!.endsWith('Tail.')).toBe(true);
      if (count === 1_000) expect(all.at(-1)).toMatch(/…and \d+ more not shown\.\nTail\.$/);
    }
  });
});
