import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { citedAnswer, SourceNumbers } from '../../src/agent/cited-answer.js';
import type { ConversationMessage } from '../../src/agent/types.js';

const at = (source: string, title: string | null): Anthropic.CitationsSearchResultLocation => ({
  type: 'search_result_location',
  source,
  title,
  cited_text: 'x',
  search_result_index: 0,
  start_block_index: 0,
  end_block_index: 1,
});
const LAUNCH = 'https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Launch';
const RUNBOOK = 'https://acme.atlassian.net/wiki/spaces/ENG/pages/2/Runbook';

const says = (...content: Anthropic.TextBlockParam[]): ConversationMessage => ({
  role: 'assistant',
  content,
});
const plain = (text: string): Anthropic.TextBlockParam => ({ type: 'text', text });
const citing = (text: string, ...citations: Anthropic.CitationsSearchResultLocation[]) =>
  ({ type: 'text', text, citations }) as Anthropic.TextBlockParam;

describe('citedAnswer', () => {
  it('marks each cited block and lists the pages in order of first citation', () => {
    const { text, sources } = citedAnswer([
      { role: 'user', content: 'when?' },
      says(
        plain('We launch '),
        citing('in May', at(LAUNCH, 'Launch')),
        plain(', and on-call follows '),
        citing('the runbook', at(RUNBOOK, 'Runbook'), at(LAUNCH, 'Launch')),
        plain('.'),
      ),
    ]);
    expect(text).toBe('We launch in May[1], and on-call follows the runbook[2][1].');
    expect(sources).toEqual([
      { url: LAUNCH, title: 'Launch', space: 'MKT' },
      { url: RUNBOOK, title: 'Runbook', space: 'ENG' },
    ]);
  });

  it('keeps uncited texts as paragraphs and lists nothing', () => {
    const { text, sources } = citedAnswer([
      says(plain('Looking.')),
      { role: 'user', content: 'ok' },
      says(plain('First.'), plain('Second.')),
    ]);
    expect(text).toBe('Looking.\n\nFirst.\n\nSecond.');
    expect(sources).toEqual([]);
  });

  it('numbers on from what was already said, as the streamed markers do', () => {
    const numbers = new SourceNumbers();
    expect(numbers.marker([at(RUNBOOK, null)])).toBe('[1]');
    expect(numbers.marker([at(LAUNCH, 'Launch'), at(RUNBOOK, null)])).toBe('[2][1]');
    expect(numbers.marker(null)).toBe('');
    // A title-less source is listed by its URL.
    expect(numbers.sources[0]).toEqual({ url: RUNBOOK, title: RUNBOOK, space: 'ENG' });
  });
});
