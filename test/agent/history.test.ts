import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import {
  compactForStorage,
  estimateTokens,
  FILE_OMITTED,
  joinedJsonChars,
  STORED_TOOL_RESULT_CHARS,
  trimHistory,
} from '../../src/agent/history.js';
import type { ConversationMessage } from '../../src/agent/types.js';

/** One exchange: a typed request, `tools` tool_use/tool_result rounds, then the answer. */
function exchange(n: number, tools: number, resultChars = 100): ConversationMessage[] {
  const messages: ConversationMessage[] = [{ role: 'user', content: `request ${n}` }];
  for (let t = 0; t < tools; t++) {
    const id = `toolu_${n}_${t}`;
    messages.push({
      role: 'assistant',
      content: [{ type: 'tool_use', id, name: 'COMPOSIO_SEARCH_TOOLS', input: { n, t } }],
    });
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: id, content: 'x'.repeat(resultChars) }],
    });
  }
  messages.push({ role: 'assistant', content: [{ type: 'text', text: `answer ${n}` }] });
  return messages;
}

/** Every tool_use id in `messages` has its tool_result in the very next message, and back. */
function pairsIntact(messages: ConversationMessage[]): boolean {
  return messages.every((m, i) => {
    if (typeof m.content === 'string') return true;
    return m.content.every((b) => {
      if (b.type === 'tool_use') {
        const next = messages[i + 1]?.content;
        return (
          Array.isArray(next) && next.some((r) => 'tool_use_id' in r && r.tool_use_id === b.id)
        );
      }
      if (b.type === 'tool_result') {
        const prev = messages[i - 1]?.content;
        return (
          Array.isArray(prev) && prev.some((u) => u.type === 'tool_use' && u.id === b.tool_use_id)
        );
      }
      return true;
    });
  });
}

const conversation = [
  ...exchange(1, 3, 2_000),
  ...exchange(2, 1, 2_000),
  ...exchange(3, 2, 2_000),
  ...exchange(4, 2, 500),
];

describe('trimHistory', () => {
  it('keeps everything when it fits', () => {
    expect(trimHistory(conversation, estimateTokens(conversation) + 10)).toEqual(conversation);
  });

  it('drops the oldest exchanges until the budget holds, cutting only between exchanges', () => {
    const total = estimateTokens(conversation);
    for (let budget = 0; budget <= total; budget += 97) {
      const kept = trimHistory(conversation, budget);
      expect(pairsIntact(kept)).toBe(true);
      expect(kept[0]).toMatchObject({ role: 'user', content: expect.stringMatching(/^request/) });
      // A suffix of the original: never reordered or rewritten.
      expect(conversation.slice(conversation.length - kept.length)).toEqual(kept);
      const newest = exchange(4, 2, 500);
      if (kept.length > newest.length) expect(estimateTokens(kept)).toBeLessThanOrEqual(budget);
    }
  });

  it('keeps the newest exchange whole even when it alone exceeds the budget', () => {
    const kept = trimHistory(conversation, 1);
    expect(kept).toEqual(exchange(4, 2, 500));
  });

  it('drops exactly the exchanges needed', () => {
    const lastTwo = [...exchange(3, 2, 2_000), ...exchange(4, 2, 500)];
    expect(trimHistory(conversation, estimateTokens(lastTwo) + 5)).toEqual(lastTwo);
  });

  it('keeps the same messages when told the JSON length instead of measuring the thread', () => {
    const chars = JSON.stringify(conversation).length;
    const total = estimateTokens(conversation);
    for (let budget = 0; budget <= total + 100; budget += 97)
      expect(trimHistory(conversation, budget, chars)).toEqual(trimHistory(conversation, budget));
  });
});

describe('joinedJsonChars', () => {
  it('is the length of the JSON of the two arrays joined', () => {
    const a = exchange(1, 1);
    const b = exchange(2, 2);
    const len = (x: unknown) => JSON.stringify(x).length;
    expect(joinedJsonChars(len(a), len(b))).toBe(len([...a, ...b]));
    expect(joinedJsonChars(len([]), len(b))).toBe(len(b));
    expect(joinedJsonChars(len(a), len([]))).toBe(len(a));
  });
});

describe('compactForStorage', () => {
  it('shortens large tool results and says how much was left out', () => {
    const big = 'y'.repeat(STORED_TOOL_RESULT_CHARS * 5);
    const messages: ConversationMessage[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 't', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'a', content: big },
          {
            type: 'tool_result',
            tool_use_id: 'b',
            content: [
              { type: 'text', text: big },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            ],
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: big }] },
    ];
    const stored = compactForStorage(messages);
    const results = stored[2]!.content as Anthropic.ToolResultBlockParam[];
    const first = String(results[0]!.content);
    expect(first.startsWith(`${'y'.repeat(STORED_TOOL_RESULT_CHARS)}\n…`)).toBe(true);
    expect(first.length).toBeLessThan(STORED_TOOL_RESULT_CHARS + 100);
    expect(first).toContain(`${big.length - STORED_TOOL_RESULT_CHARS} of ${big.length}`);
    const blocks = results[1]!.content as Array<{ type: string; text?: string }>;
    expect(blocks[0]!.text!.length).toBeLessThan(STORED_TOOL_RESULT_CHARS + 100);
    expect(blocks[1]).toEqual({ type: 'text', text: '[image omitted from stored history]' });
    // The model's own words and the pairing are untouched.
    expect(stored[3]).toEqual(messages[3]);
    expect(stored[1]).toEqual(messages[1]);
    expect(results.map((r) => r.tool_use_id)).toEqual(['a', 'b']);
    expect(estimateTokens(stored)).toBeLessThan(estimateTokens(messages) / 2);
  });

  it('leaves small results alone', () => {
    const small = exchange(1, 2, 100);
    expect(compactForStorage(small)).toEqual(small);
  });

  it('keeps no attached file of a user message: an image or document becomes a note', () => {
    const data = Buffer.from('%PDF-1.4 secret contents').toString('base64');
    const messages: ConversationMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data } },
          { type: 'text', text: 'summarise [Files attached to this message: a.pdf (PDF, 1 KB)]' },
        ],
      },
      { role: 'assistant', content: 'Done.' },
    ];
    const stored = compactForStorage(messages);
    expect(JSON.stringify(stored)).not.toContain(data);
    expect(stored[0]!.content).toEqual([
      { type: 'text', text: FILE_OMITTED },
      { type: 'text', text: FILE_OMITTED },
      { type: 'text', text: 'summarise [Files attached to this message: a.pdf (PDF, 1 KB)]' },
    ]);
    expect(stored[1]).toBe(messages[1]);
  });

  it('keeps a line per page read, and the answer without its citations, stably', () => {
    const url = 'https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Launch';
    const body = 'We launch in May. '.repeat(500);
    const turn: ConversationMessage[] = [
      { role: 'user', content: 'when do we launch?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_p', name: 'COMPOSIO_MULTI_EXECUTE_TOOL', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_p',
            content: [
              { type: 'text', text: '{"data":{"id":"1","page_text":"search result 1 below"}}' },
              {
                type: 'search_result',
                source: url,
                title: 'Launch',
                content: [{ type: 'text', text: body }],
                citations: { enabled: true },
              },
            ],
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'text',
            text: 'In May',
            citations: [
              {
                type: 'search_result_location',
                source: url,
                title: 'Launch',
                cited_text: body,
                search_result_index: 0,
                start_block_index: 0,
                end_block_index: 1,
              },
            ],
          },
          { type: 'text', text: '.' },
        ],
      },
    ];
    const stored = compactForStorage(turn);
    const json = JSON.stringify(stored);
    expect(json).not.toContain('search_result');
    expect(json).not.toContain('citations');
    expect(json.length).toBeLessThan(1_500);
    const result = (stored[2]!.content as Anthropic.ToolResultBlockParam[])[0]!;
    expect(result.content).toEqual([
      { type: 'text', text: '{"data":{"id":"1","page_text":"search result 1 below"}}' },
      {
        type: 'text',
        text: expect.stringMatching(/^\[page "Launch" https:\/\/acme.+\] We launch in May\./),
      },
    ]);
    expect(stored[3]!.content).toEqual([
      { type: 'text', text: 'In May' },
      { type: 'text', text: '.' },
    ]);
    // Stored once, sent as stored every later turn: compacting again changes nothing.
    expect(compactForStorage(stored)).toEqual(stored);
  });
});
