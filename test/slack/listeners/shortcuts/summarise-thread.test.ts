import { describe, expect, it } from 'vitest';
import { defaultTitle } from '../../../../src/slack/listeners/shortcuts/summarise-thread.js';

const day = new Date('2026-11-05T10:00:00Z');

describe('defaultTitle', () => {
  it('uses the message words and the date', () => {
    expect(defaultTitle('Launch   retro\nnotes', day)).toBe('Launch retro notes — 2026-11-05');
  });

  it('drops mentions, keeps link labels and decodes Slack entities', () => {
    expect(defaultTitle('<@U0BOB> see <https://x.example|the brief> &amp; plan', day)).toBe(
      'see the brief & plan — 2026-11-05',
    );
  });

  it('cuts long text at 60 characters with an ellipsis, and only then', () => {
    const sixty = 'a'.repeat(60);
    expect(defaultTitle(sixty, day)).toBe(`${sixty} — 2026-11-05`);
    expect(defaultTitle(`${sixty}b`, day)).toBe(`${sixty}… — 2026-11-05`);
  });

  it('falls back to "Thread summary" for an empty or markup-only message', () => {
    expect(defaultTitle(undefined, day)).toBe('Thread summary — 2026-11-05');
    expect(defaultTitle('<@U0BOB>', day)).toBe('Thread summary — 2026-11-05');
  });
});
