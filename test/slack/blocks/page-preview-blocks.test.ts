/** A page's unfurl (src/slack/blocks/page-preview-blocks.ts): pure, checked as Block Kit. */
import { describe, expect, it } from 'vitest';
import type { PagePreview } from '../../../src/confluence/page-preview.js';
import { pagePreviewUnfurl } from '../../../src/slack/blocks/page-preview-blocks.js';
import { blocksError } from '../../kit/fake-slack/api.js';

const PREVIEW: PagePreview = {
  title: 'Plan <b> & "more"',
  url: 'https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Plan',
  spaceKey: 'MKT',
  spaceName: 'Marketing',
  editedAt: '2026-11-30T10:00:00.000Z',
  editedBy: 'Ada <@U123>',
  excerpt: 'Ship *soon* <!here>',
  restricted: false,
};

describe('pagePreviewUnfurl', () => {
  it('shows the linked title, space, last update and the excerpt as plain text', () => {
    const { blocks } = pagePreviewUnfurl(PREVIEW);
    expect(blocksError(blocks)).toBeUndefined();
    const text = JSON.stringify(blocks);
    expect(text).toContain(`<${PREVIEW.url}|Plan &lt;b&gt; &amp; \\"more\\">`);
    expect(text).toContain('Space Marketing');
    expect(text).toContain('Last updated by Ada &lt;@U123&gt; <!date^');
    expect(blocks?.at(-1)).toEqual({
      type: 'section',
      text: { type: 'plain_text', text: 'Ship *soon* <!here>', emoji: false },
    });
  });

  it('shows a restricted page by its title only', () => {
    const { blocks } = pagePreviewUnfurl({ ...PREVIEW, restricted: true });
    expect(blocksError(blocks)).toBeUndefined();
    const text = JSON.stringify(blocks);
    expect(text).toContain('Plan &lt;b&gt;');
    expect(text).toContain('Restricted page');
    for (const hidden of ['Marketing', 'Ada', 'Ship', 'Last updated'])
      expect(text).not.toContain(hidden);
  });

  it('leaves out what the lookup did not give', () => {
    const { blocks } = pagePreviewUnfurl({ title: 'Bare', url: PREVIEW.url, restricted: false });
    expect(blocks).toHaveLength(1);
  });
});
