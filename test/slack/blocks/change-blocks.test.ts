import { describe, expect, it } from 'vitest';
import { cardBlocks, deliveryMessage } from '../../../src/slack/blocks/change-blocks.js';
import type { Change, Subscription } from '../../../src/subscriptions/subscription.js';

const sub: Subscription = {
  id: 'sub-T1-C1-MKT',
  teamId: 'T1',
  channel: 'C1',
  spaceKey: 'MKT',
  spaceName: 'Marketing',
  kinds: ['page'],
  ownerUserId: 'U1',
  ownerComposioUserId: 'slack-T1-U1',
  createdAt: 0,
};
const change = (over: Partial<Change> = {}): Change => ({
  site: 'acme.atlassian.net',
  contentId: '1',
  version: 1,
  type: 'page',
  title: 'Launch Plan',
  url: 'https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Launch+Plan',
  spaceKey: 'MKT',
  author: 'Ana',
  when: Date.UTC(2026, 11, 6, 9, 0),
  excerpt: 'Dates and owners.',
  ...over,
});

describe('subscription cards and digests', () => {
  it('shows kind, linked title, space, author, when and a line of text', () => {
    const text = JSON.stringify(cardBlocks(change()));
    expect(text).toContain(
      '*New page:* <https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Launch+Plan|Launch Plan>',
    );
    expect(text).toContain('MKT · by Ana · <!date^1796547600^');
    expect(text).toContain('Dates and owners.');
  });

  it('shows the version message of an update and names a comment by its page', () => {
    const updated = JSON.stringify(cardBlocks(change({ version: 3, versionMessage: 'New dates' })));
    expect(updated).toContain('*Updated page:*');
    expect(updated).toContain('New dates');
    expect(updated).not.toContain('Dates and owners.');
    expect(JSON.stringify(cardBlocks(change({ type: 'comment' })))).toContain('*New comment on:*');
  });

  it('escapes titles so they cannot mention, link or break the link', () => {
    const text = JSON.stringify(
      cardBlocks(change({ title: '<!channel> a|b & c', author: '<@U2>' })),
    );
    expect(text).toContain('|&lt;!channel&gt; a¦b &amp; c>');
    expect(text).toContain('by &lt;@U2&gt;');
  });

  it('fits fifty changes with long titles into one message within Block Kit limits', () => {
    const changes = Array.from({ length: 50 }, (_, i) =>
      change({ contentId: String(i), title: `T${i} ${'x'.repeat(400)}`, author: 'y'.repeat(200) }),
    );
    const { blocks, text } = deliveryMessage({ kind: 'digest', changes, sub });
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) expect(JSON.stringify(b).length).toBeLessThan(3500);
    for (const b of blocks as Array<{ text?: { text: string } }>)
      expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    expect(text).toBe('50 changes in MKT');
  });

  it('counts the changes of a long pause in one line', () => {
    const { text } = deliveryMessage({ kind: 'while-paused', count: 12, sub });
    expect(text).toContain('12 changes in MKT while the subscription was paused');
  });
});
