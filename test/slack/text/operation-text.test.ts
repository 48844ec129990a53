import { describe, expect, it } from 'vitest';
import { describe as describeOp, type TargetLookup } from '../../../src/confluence/operations.js';
import {
  operationCounts,
  operationText,
  slackDate,
} from '../../../src/slack/text/operation-text.js';

const op = (slug: string, args: unknown, lookup: TargetLookup = { status: 'not_looked_up' }) =>
  describeOp({ slug, args }, lookup);
const launchPlan: TargetLookup = {
  status: 'found',
  page: {
    title: 'Launch <Plan> & co',
    spaceKey: 'MKT',
    version: 7,
    editedAt: '2025-06-01T10:00:00.000Z',
    url: 'https://acme.atlassian.net/wiki/spaces/MKT/pages/98765/Launch+Plan',
  },
};
const edited = '<!date^1748772000^{ago}|2025-06-01 10:00 UTC>';

describe('operationText', () => {
  it('names a page by title (escaped, linked), space, version and last edit', () => {
    expect(operationText(op('CONFLUENCE_DELETE_PAGE', { id: '98765' }, launchPlan))).toBe(
      `Delete page <https://acme.atlassian.net/wiki/spaces/MKT/pages/98765/Launch+Plan|“Launch &lt;Plan&gt; &amp; co”> in space MKT (version 7, last edited ${edited})`,
    );
  });

  it('says a lookup failed and shows the id, never a guess', () => {
    expect(
      operationText(
        op('CONFLUENCE_DELETE_PAGE', { id: '404404' }, { status: 'failed', reason: 'not found' }),
      ),
    ).toBe(
      "Delete page with id `404404` — _I couldn't look it up (not found), so I can't say which one it is_",
    );
  });

  it('words spaces, labels, properties, comments, attachments and connections', () => {
    const space: TargetLookup = {
      status: 'found',
      space: { key: 'ENG', name: 'Engineering', url: 'https://acme.atlassian.net/wiki/spaces/ENG' },
    };
    expect(operationText(op('CONFLUENCE_DELETE_SPACE', { spaceKey: 'ENG' }, space))).toBe(
      'Delete space <https://acme.atlassian.net/wiki/spaces/ENG|ENG> (“Engineering”) and everything in it',
    );
    expect(
      operationText(op('CONFLUENCE_REMOVE_LABEL', { id: '98765', name: 'urgent' }, launchPlan)),
    ).toMatch(
      /^Remove label “urgent” from page <https:.*\|“Launch &lt;Plan&gt; &amp; co”> in space MKT/,
    );
    expect(
      operationText(op('CONFLUENCE_DELETE_PAGE_PROPERTY', { id: '98765', key: 'owner' })),
    ).toBe('Delete property “owner” of page with id `98765`');
    expect(operationText(op('CONFLUENCE_DELETE_COMMENT', { commentId: '55' }))).toBe(
      'Delete comment `55`',
    );
    expect(
      operationText(
        op('CONFLUENCE_DELETE_ATTACHMENT', { id: 'att9', pageId: '98765' }, launchPlan),
      ),
    ).toMatch(/^Delete attachment `att9` on page <https:/);
    expect(
      operationText(
        op('COMPOSIO_MANAGE_CONNECTIONS', { toolkits: [{ name: 'confluence', action: 'remove' }] }),
      ),
    ).toBe('Remove your confluence connection (you would have to connect again)');
  });

  it('falls back to the slug and arguments for a tool it cannot read', () => {
    expect(operationText(op('JIRA_DELETE_ISSUE', { key: 'ABC-1' }))).toBe(
      '`JIRA_DELETE_ISSUE` `{"key":"ABC-1"}`',
    );
    expect(operationText(op('CONFLUENCE_DELETE_PAGE', {}))).toBe('`CONFLUENCE_DELETE_PAGE` `{}`');
  });

  it('links only a plain https URL', () => {
    const odd: TargetLookup = {
      status: 'found',
      page: { title: 'T', url: 'javascript:alert(1)|x' },
    };
    expect(operationText(op('CONFLUENCE_DELETE_PAGE', { id: '1' }, odd))).toBe('Delete page “T”');
  });
});

describe('operationCounts and slackDate', () => {
  it('counts per kind, in words', () => {
    const ops = [
      ...Array.from({ length: 3 }, (_, i) => op('CONFLUENCE_DELETE_PAGE', { id: String(i) })),
      op('CONFLUENCE_DELETE_SPACE', { spaceKey: 'X' }),
      op('CUSTOM_TOOL', {}),
      op('CUSTOM_TOOL', {}),
    ];
    expect(operationCounts(ops)).toEqual(['Delete 3 pages', 'Delete 1 space', '2 × `CUSTOM_TOOL`']);
  });

  it('formats a date for each reader, with a UTC fallback', () => {
    expect(slackDate(new Date('2025-06-01T10:00:00.900Z'), '{ago}')).toBe(edited);
  });
});
