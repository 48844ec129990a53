import { describe, expect, it } from 'vitest';
import { classifySlug, classifyToolCall } from '../../src/agent/tool-safety.js';
import { multi } from './scripted.js';

describe('classifySlug', () => {
  it.each([
    ['CONFLUENCE_DELETE_PAGE', 'destructive'],
    ['CONFLUENCE_DELETE_SPACE', 'destructive'],
    ['CONFLUENCE_DELETE_PAGE_PROPERTY', 'destructive'],
    ['confluence_delete_page', 'destructive'],
    ['CONFLUENCE_CREATE_PAGE', 'write'],
    ['CONFLUENCE_UPDATE_PAGE', 'write'],
    ['CONFLUENCE_ADD_CONTENT_LABEL', 'write'],
    ['CONFLUENCE_GET_SPACES', 'read'],
    ['CONFLUENCE_CQL_SEARCH', 'read'],
    ['CONFLUENCE_SEARCH_CONTENT', 'read'],
    ['COMPOSIO_SEARCH_TOOLS', 'read'],
    ['COMPOSIO_GET_TOOL_SCHEMAS', 'read'],
    ['COMPOSIO_MANAGE_CONNECTIONS', 'read'],
    // An unknown verb could change anything: it is never treated as a harmless read.
    ['CONFLUENCE_FROBNICATE_PAGE', 'write'],
    ['COMPOSIO_REMOTE_WORKBENCH', 'write'],
  ] as const)('%s is %s', (slug, level) => {
    expect(classifySlug(slug)).toBe(level);
  });

  it("treats the operator's extra slugs as destructive, whatever their verb", () => {
    const extra = new Set(['CONFLUENCE_UPDATE_PAGE', 'CONFLUENCE_GET_SPACES']);
    expect(classifySlug('CONFLUENCE_UPDATE_PAGE', extra)).toBe('destructive');
    expect(classifySlug('confluence_get_spaces', extra)).toBe('destructive');
    expect(classifySlug('CONFLUENCE_CREATE_PAGE', extra)).toBe('write');
  });
});

describe('classifyToolCall', () => {
  it('classifies a direct call by its own slug', () => {
    expect(classifyToolCall('CONFLUENCE_DELETE_PAGE', { id: '1' })).toEqual({
      level: 'destructive',
      slugs: ['CONFLUENCE_DELETE_PAGE'],
    });
  });

  it('looks inside COMPOSIO_MULTI_EXECUTE_TOOL and takes the most harmful item', () => {
    const reads = multi(['CONFLUENCE_GET_SPACES', {}], ['CONFLUENCE_CQL_SEARCH', { cql: 'x' }]);
    expect(classifyToolCall('COMPOSIO_MULTI_EXECUTE_TOOL', reads).level).toBe('read');
    const mixed = multi(['CONFLUENCE_GET_SPACES', {}], ['CONFLUENCE_CREATE_PAGE', {}]);
    expect(classifyToolCall('COMPOSIO_MULTI_EXECUTE_TOOL', mixed).level).toBe('write');
    const deleting = multi(['CONFLUENCE_GET_SPACES', {}], ['CONFLUENCE_DELETE_PAGE', { id: '7' }]);
    expect(classifyToolCall('COMPOSIO_MULTI_EXECUTE_TOOL', deleting)).toEqual({
      level: 'destructive',
      slugs: ['CONFLUENCE_GET_SPACES', 'CONFLUENCE_DELETE_PAGE'],
    });
  });

  it("applies the operator's list inside multi-execute too", () => {
    const input = multi(['CONFLUENCE_UPDATE_PAGE', { id: '1' }]);
    const extra = new Set(['CONFLUENCE_UPDATE_PAGE']);
    expect(classifyToolCall('COMPOSIO_MULTI_EXECUTE_TOOL', input).level).toBe('write');
    expect(classifyToolCall('COMPOSIO_MULTI_EXECUTE_TOOL', input, extra).level).toBe('destructive');
  });

  // The meta tool's schema carries no compatibility promise: what cannot be read might delete.
  it.each([
    ['no tools field', {}, ['UNKNOWN']],
    ['no input at all', undefined, ['UNKNOWN']],
    ['tools that is not a list', { tools: { tool_slug: 'CONFLUENCE_GET_SPACES' } }, ['UNKNOWN']],
    ['a differently named list', { calls: [{ tool_slug: 'CONFLUENCE_DELETE_PAGE' }] }, ['UNKNOWN']],
    ['an empty list (the schema asks for at least one)', { tools: [] }, []],
    [
      'an item without tool_slug among readable ones',
      { tools: [{ arguments: {} }, { tool_slug: 'CONFLUENCE_GET_SPACES' }] },
      ['UNKNOWN', 'CONFLUENCE_GET_SPACES'],
    ],
    [
      'an item naming its tool another way',
      { tools: [{ slug: 'CONFLUENCE_DELETE_PAGE', arguments: { id: '7' } }] },
      ['UNKNOWN'],
    ],
    ['a tool_slug that is not a string', { tools: [{ tool_slug: 7 }] }, ['UNKNOWN']],
    ['a blank tool_slug', { tools: [{ tool_slug: ' ' }] }, ['UNKNOWN']],
    ['a bare string item', { tools: ['CONFLUENCE_GET_SPACES'] }, ['UNKNOWN']],
    ['a null item', { tools: [null] }, ['UNKNOWN']],
  ] as const)('waits for approval on a multi-execute input with %s', (_case, input, slugs) => {
    expect(classifyToolCall('COMPOSIO_MULTI_EXECUTE_TOOL', input)).toEqual({
      level: 'destructive',
      slugs,
    });
  });

  it('asks approval only for what it cannot read: a readable unknown verb stays a write', () => {
    const named = { tools: [{ tool_slug: 'CONFLUENCE_FROBNICATE_PAGE' }], thought: 'extra field' };
    expect(classifyToolCall('composio_multi_execute_tool', named)).toEqual({
      level: 'write',
      slugs: ['CONFLUENCE_FROBNICATE_PAGE'],
    });
    const unnamed = { tools: [{ name: 'CONFLUENCE_FROBNICATE_PAGE' }], thought: 'extra field' };
    expect(classifyToolCall('composio_multi_execute_tool', unnamed).level).toBe('destructive');
  });

  it('treats removing a connection through COMPOSIO_MANAGE_CONNECTIONS as destructive', () => {
    const link = { toolkits: ['confluence'] };
    const remove = { toolkits: [{ name: 'confluence', action: 'remove' }] };
    expect(classifyToolCall('COMPOSIO_MANAGE_CONNECTIONS', link).level).toBe('read');
    expect(classifyToolCall('COMPOSIO_MANAGE_CONNECTIONS', remove).level).toBe('destructive');
  });
});
