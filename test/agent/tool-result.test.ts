import { describe, expect, it } from 'vitest';
import { capText, MAX_TOOL_RESULT_CHARS, toToolOutcome } from '../../src/agent/tool-result.js';

describe('toToolOutcome', () => {
  it('joins split text blocks into one document and keeps isError', () => {
    const outcome = toToolOutcome({
      content: [
        { type: 'text', text: '{"data":' },
        { type: 'text', text: '1}' },
      ],
      isError: true,
    });
    expect(outcome).toEqual({ content: [{ type: 'text', text: '{"data":1}' }], isError: true });
  });
  it('keeps images and names content it cannot pass on', () => {
    const outcome = toToolOutcome({
      content: [
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
      ],
    });
    expect(outcome.content).toEqual([
      { type: 'text', text: '[audio content (audio/wav) omitted]' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
    ]);
  });
  it('caps large results with a note', () => {
    const outcome = toToolOutcome({
      content: [{ type: 'text', text: 'x'.repeat(MAX_TOOL_RESULT_CHARS + 500) }],
    });
    const text = (outcome.content as Array<{ text: string }>)[0]!.text;
    expect(text.length).toBeLessThan(MAX_TOOL_RESULT_CHARS + 200);
    expect(text).toContain('500 of');
  });
  it('leaves short text alone', () => {
    expect(capText('short', 10)).toBe('short');
  });
});
