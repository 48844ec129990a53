import { describe, expect, it } from 'vitest';
import type { PendingApproval } from '../../../src/agent/agent-config.js';
import {
  approvalBlocks,
  describeApproval,
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

/** A multi-execute call deleting `count` pages, each with a long reason. */
function deleteMany(count: number, id = 'toolu_1'): PendingApproval {
  const tools = Array.from({ length: count }, (_, i) => ({
    tool_slug: 'CONFLUENCE_DELETE_PAGE',
    arguments: { id: String(100_000 + i), reason: `cleanup of stale page ${i} `.repeat(8) },
  }));
  return {
    toolUseId: id,
    toolName: 'COMPOSIO_MULTI_EXECUTE_TOOL',
    slugs: ['CONFLUENCE_DELETE_PAGE'],
    input: { tools },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON is checked field by field.
const sectionTexts = (blocks: any[]) =>
  blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);

describe('approvalBlocks', () => {
  it('splits 50 multi-execute deletes over sections of at most 3,000 characters, all shown', () => {
    // One delete: one section, then the buttons.
    const short = approvalBlocks(request, [deleteMany(1)]);
    expect(short.map((b) => b.type)).toEqual(['section', 'actions']);
    expect(sectionTexts(short)[0]).toMatch(
      /^<@U0GRACE>, this would make a change that cannot be undone:\n• `CONFLUENCE_DELETE_PAGE`.*\nOnly <@U0GRACE> can approve it\.$/s,
    );
    const approval = deleteMany(50);
    const lines = describeApproval(approval);
    expect(lines.join('\n').length).toBeGreaterThan(3_000);
    const blocks = approvalBlocks(request, [approval]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.at(-1)!.type).toBe('actions');
    const texts = sectionTexts(blocks);
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3_000);
    const all = texts.join('\n');
    for (let i = 0; i < 50; i++) expect(all).toContain(`"id":"${100_000 + i}"`);
    expect(all).not.toContain('more not shown');
    expect(texts.at(-1)).toMatch(/Only <@U0GRACE> can approve it\.$/);
  });

  it('shows the first items and how many more when there are too many for 50 blocks', () => {
    const approvals = Array.from({ length: 8 }, (_, i) => deleteMany(50, `toolu_${i}`));
    const blocks = approvalBlocks(request, approvals);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const texts = sectionTexts(blocks);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3_000);
    const shown = texts.join('\n').split('\n• ').length - 1;
    expect(shown).toBeGreaterThan(0);
    expect(texts.at(-1)).toContain(`…and ${400 - shown} more not shown.`);
    expect(texts.at(-1)).toMatch(/Only <@U0GRACE> can approve it\.$/);
  });

  it('cuts an overlong tool name so that one line never breaks the limit', () => {
    const approval: PendingApproval = {
      toolUseId: 'toolu_x',
      toolName: 'COMPOSIO_MULTI_EXECUTE_TOOL',
      slugs: [],
      input: { tools: [{ tool_slug: 'X'.repeat(5_000), arguments: {} }] },
    };
    for (const text of sectionTexts(approvalBlocks(request, [approval])))
      expect(text.length).toBeLessThanOrEqual(3_000);
  });

  it('sectionBlocks fits any number of lines within the section and block limits', () => {
    for (const count of [0, 1, 10, 100, 1_000]) {
      const lines = Array.from({ length: count }, (_, i) => `line ${i} ${'x'.repeat(i % 700)}`);
      const blocks = sectionBlocks('Head:', lines, 'Tail.');
      expect(blocks.length).toBeLessThanOrEqual(10);
      const texts = sectionTexts(blocks);
      for (const text of texts) expect(text.length).toBeLessThanOrEqual(3_000);
      expect(texts[0]!.startsWith('Head:')).toBe(true);
      expect(texts.at(-1)!.endsWith('Tail.')).toBe(true);
    }
  });
});

describe('describeApproval with input it cannot read', () => {
  it('shows an unreadable item whole instead of failing, and an empty list as the raw call', () => {
    const call = (tools: unknown) => ({
      toolUseId: 't',
      toolName: 'COMPOSIO_MULTI_EXECUTE_TOOL',
      slugs: ['UNKNOWN'],
      input: { tools },
    });
    const lines = describeApproval(
      call([null, { slug: 'CONFLUENCE_DELETE_PAGE', arguments: { id: '7' } }]),
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('CONFLUENCE_DELETE_PAGE');
    expect(describeApproval(call([]))).toEqual([
      '• `COMPOSIO_MULTI_EXECUTE_TOOL` on `{"tools":[]}`',
    ]);
  });
});
