import { describe, expect, it } from 'vitest';
import type { PendingApproval } from '../../src/agent/agent-config.js';
import { actionOf, describeWithoutLookup, operationsOf } from '../../src/confluence/operations.js';

const batch = (tools: unknown): PendingApproval => ({
  toolUseId: 't',
  toolName: 'COMPOSIO_MULTI_EXECUTE_TOOL',
  slugs: [],
  input: { tools },
});

describe('operationsOf', () => {
  it('lists each item of a batch, a direct call as itself, and keeps unreadable items whole', () => {
    const direct = {
      toolUseId: 'd',
      toolName: 'CONFLUENCE_DELETE_PAGE',
      slugs: [],
      input: { id: 1 },
    };
    expect(
      operationsOf([
        batch([null, { tool_slug: 'CONFLUENCE_DELETE_PAGE', arguments: { id: '7' } }]),
        direct,
        batch([]),
      ]),
    ).toEqual([
      { slug: 'unrecognised item', args: null },
      { slug: 'CONFLUENCE_DELETE_PAGE', args: { id: '7' } },
      { slug: 'CONFLUENCE_DELETE_PAGE', args: { id: 1 } },
      { slug: 'COMPOSIO_MULTI_EXECUTE_TOOL', args: { tools: [] } },
    ]);
  });
});

describe('actionOf', () => {
  it.each([
    ['CONFLUENCE_DELETE_PAGE', { id: 98765 }, { verb: 'Delete', kind: 'page', id: '98765' }],
    ['CONFLUENCE_DELETE_SPACE', { spaceKey: 'MKT' }, { verb: 'Delete', kind: 'space', id: 'MKT' }],
    [
      'CONFLUENCE_REMOVE_CONTENT_LABEL',
      { id: '42', label: 'urgent' },
      { verb: 'Remove', kind: 'label', name: 'urgent', pageId: '42' },
    ],
    [
      'CONFLUENCE_DELETE_PAGE_PROPERTY',
      { pageId: '42', propertyId: '9', key: 'owner' },
      { verb: 'Delete', kind: 'property', id: '9', name: 'owner', pageId: '42' },
    ],
    ['CONFLUENCE_DELETE_COMMENT', { id: '55' }, { verb: 'Delete', kind: 'comment', id: '55' }],
    [
      'CONFLUENCE_DELETE_ATTACHMENT',
      { attachmentId: 'att1', pageId: '42' },
      { verb: 'Delete', kind: 'attachment', id: 'att1', pageId: '42' },
    ],
    ['CONFLUENCE_DELETE_BLOGPOST', { id: '77' }, { verb: 'Delete', kind: 'blog post', id: '77' }],
    [
      'COMPOSIO_MANAGE_CONNECTIONS',
      { toolkits: [{ name: 'confluence', action: 'remove' }] },
      { verb: 'Remove', kind: 'connection', name: 'confluence' },
    ],
  ])('reads %s', (slug, args, action) => {
    expect(actionOf({ slug, args })).toEqual(action);
  });

  it('reads nothing from a slug or tool it does not know', () => {
    expect(actionOf({ slug: 'CONFLUENCE_PURGE_EVERYTHING', args: {} })).toBeUndefined();
    expect(actionOf({ slug: 'JIRA_DELETE_ISSUE', args: { id: '1' } })).toBeUndefined();
    expect(actionOf({ slug: 'unrecognised item', args: null })).toBeUndefined();
  });
});

describe('describeWithoutLookup', () => {
  it('keeps the exact slug and arguments (cut), and marks nothing as looked up', () => {
    const [op] = describeWithoutLookup([
      batch([
        { tool_slug: 'CONFLUENCE_DELETE_PAGE', arguments: { id: '1', x: 'y'.repeat(5_000) } },
      ]),
    ]);
    expect(op!.slug).toBe('CONFLUENCE_DELETE_PAGE');
    expect(op!.args.startsWith('{"id":"1","x":"yyy')).toBe(true);
    expect(op!.args.length).toBe(1_000);
    expect(op!.lookup).toEqual({ status: 'not_looked_up' });
  });
});
