import { describe, expect, it } from 'vitest';
import { statusText } from '../../../src/slack/text/status-text.js';

describe('statusText', () => {
  it.each([
    ['', 'Thinking…'],
    ['COMPOSIO_SEARCH_TOOLS', 'Finding the right Confluence tools…'],
    ['COMPOSIO_MANAGE_CONNECTIONS', 'Checking your Confluence connection…'],
    ['CONFLUENCE_CREATE_PAGE', 'Creating page…'],
    ['CONFLUENCE_CREATE_BLOGPOST', 'Creating blog post…'],
    ['CONFLUENCE_ADD_CONTENT_LABEL', 'Adding label…'],
    ['CONFLUENCE_UPDATE_PAGE', 'Updating page…'],
    ['CONFLUENCE_DELETE_SPACE', 'Deleting space…'],
    ['CONFLUENCE_CREATE_CONTENT_PROPERTY_FOR_BLOGPOST', 'Creating content property…'],
    ['CONFLUENCE_GET_SPACES', 'Searching Confluence spaces…'],
    ['CONFLUENCE_GET_LABELS_FOR_PAGE', 'Searching Confluence labels…'],
    ['CONFLUENCE_GET_PAGE_VERSIONS', 'Searching Confluence versions…'],
    ['CONFLUENCE_GET_SPACE_PROPERTIES', 'Searching Confluence content properties…'],
    ['CONFLUENCE_GET_SPACE_SETTINGS', 'Searching Confluence spaces…'],
    ['CONFLUENCE_CQL_SEARCH', 'Searching Confluence…'],
    ['CONFLUENCE_CREATE_PAGE,CONFLUENCE_ADD_CONTENT_LABEL', 'Creating page… (+1 more)'],
  ])('%s → %s', (slugs, expected) => {
    expect(statusText(slugs)).toBe(expected);
  });
});
