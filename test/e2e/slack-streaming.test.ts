/** Answers stream into the thread, survive streaming failures, split cleanly and render Markdown. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../kit/fake-anthropic/index.js';
import type { PostedMessage, SlackCall } from '../kit/fake-slack/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { mentionEvent } from '../kit/slack-helpers.js';

const CHANNEL = 'C0STREAM';
const USER = 'U0STREAMER';
const fences = (s: string) => (s.match(/^```/gm) ?? []).length;
const squash = (s: string) => s.replace(/```/g, '').replace(/\s+/g, ' ').trim();

/** A Markdown answer of at least `chars` characters: headings, lists, links and a long code block. */
function longAnswer(chars: number): string {
  const parts = ['# Findings'];
  for (let i = 1; parts.join('\n\n').length < chars; i++) {
    parts.push(
      `## Section ${i}\n\nSee [page ${i}](https://x.example/p/${i}). ${'The quick brown fox jumps. '.repeat(14).trim()}`,
    );
    if (i % 4 === 0) parts.push(`- point ${i}a\n- point ${i}b`);
    if (i === 6) parts.push(`\`\`\`\n${'  step(); // indented code line\n'.repeat(120)}\`\`\``);
  }
  return parts.join('\n\n');
}

describe('streamed answers', () => {
  let h: Harness;
  beforeAll(async () => {
    // Slack refuses a `text` much over 4,000 characters (msg_too_long).
    h = await startHarness({ slack: { maxTextLength: 4_000 } });
  });
  afterAll(() => h?.stop());

  /**
   * Mentions the bot with a scripted answer; resolves once the thread shows `shown` (the answer
   * as Slack should render it) in finished messages only.
   */
  async function ask(answer: string, shown = answer) {
    h.anthropic.script({ content: [text(answer)] });
    const root = h.slack.addMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${h.slack.botUserId}> go`,
    });
    const bot = () => h.slack.messages(CHANNEL, root.ts).filter((m) => m.bot_id);
    const settled = () =>
      bot().length > 0 &&
      bot().every((m) => m.streaming !== true) &&
      squash(
        bot()
          .map((m) => h.slack.visibleText(m))
          .join('\n'),
      ) === squash(shown);
    await mentionEvent(h, { ...root, user: USER });
    await h.slack.waitForCall(settled, 10_000).catch((err: Error) => {
      throw new Error(`${err.message}\nthread: ${JSON.stringify(bot()).slice(0, 2_000)}`);
    });
    const inThread = (c: SlackCall) =>
      c.args.thread_ts === root.ts || bot().some((m) => m.ts === c.args.ts);
    const calls = (method: string) =>
      h.slack.callsTo(method).filter((c) => c.args.channel === CHANNEL && inThread(c));
    return { root, bot, calls };
  }

  it('streams with startStream/appendStream/stopStream to the requester, Markdown kept', async () => {
    const answer = [
      '## Created the page',
      '',
      '**Launch Plan** is in [MKT](https://x.example/mkt). Next steps:',
      '',
      '1. review the `draft`',
      '2. add the label _urgent_',
      '',
      '```',
      'CONFLUENCE_CREATE_PAGE → 201',
      '```',
      '',
      `> ${'Note: everything was created as you, with your own connection. '.repeat(16).trim()}`,
    ].join('\n');
    const { bot, calls } = await ask(answer);
    const [start] = calls('chat.startStream');
    expect(start?.args).toMatchObject({
      recipient_team_id: h.slack.teamId,
      recipient_user_id: USER,
    });
    expect(calls('chat.appendStream').length).toBeGreaterThan(0);
    expect(calls('chat.stopStream')).toHaveLength(1);
    expect(calls('chat.postMessage')).toEqual([]);
    expect(bot()).toHaveLength(1);
    expect(bot()[0]!.streaming).toBe(false);
    expect(h.slack.visibleText(bot()[0]!)).toBe(answer);
  });

  it('posts a short answer that never left the stream buffer once, without opening a stream', async () => {
    const { bot, calls } = await ask('Done: **Launch Plan** is in MKT.');
    expect(calls('chat.startStream')).toEqual([]);
    expect(calls('chat.stopStream')).toEqual([]);
    expect(calls('chat.postMessage')).toHaveLength(1);
    expect(bot()).toHaveLength(1);
  });

  it('replaces a streamed table by a list Slack can show, with a plain-text fallback', async () => {
    const answer = `Here are your pages:\n\n| Page | Space |\n|---|---|\n| **Launch Plan** | MKT |\n| Q3 planning | ENG |\n\n${'More detail follows here. '.repeat(12).trim()}`;
    const shown = answer.replace(
      '| Page | Space |\n|---|---|\n| **Launch Plan** | MKT |\n| Q3 planning | ENG |',
      '- **Launch Plan** — MKT\n- **Q3 planning** — ENG',
    );
    const { bot, calls } = await ask(answer, shown);
    const [update] = calls('chat.update');
    expect(update?.args.blocks).toEqual([{ type: 'markdown', text: shown }]);
    expect(update?.args.text).not.toMatch(/\*\*|\|/);
    expect(update?.args.text).toMatch(/^Here are your pages: • Launch Plan — MKT/);
    expect(bot()).toHaveLength(1);
    expect(bot()[0]!.streaming).toBe(false);
  });

  it('posts the answer once when chat.startStream fails', async () => {
    h.slack.failNext('chat.startStream', 'internal_error');
    const answer = `Fallback answer. ${'Every word still arrives. '.repeat(40).trim()}`;
    const { bot, calls } = await ask(answer);
    expect(calls('chat.startStream').map((c) => c.result?.ok)).toEqual([false]);
    expect(calls('chat.postMessage')).toHaveLength(1);
    expect(bot()).toHaveLength(1);
    expect(h.slack.visibleText(bot()[0]!)).toBe(answer);
    // The notification text is a short plain-text preview.
    expect(bot()[0]!.text).toMatch(/^Fallback answer\. Every word still arrives\..*…$/);
    expect(bot()[0]!.text!.length).toBeLessThanOrEqual(300);
  });

  it('completes the message once when chat.appendStream fails part-way', async () => {
    h.slack.failNext('chat.appendStream', 'message_not_in_streaming_state');
    const answer = `Part one. ${'Streaming went wrong half way. '.repeat(40).trim()} The end.`;
    const { bot, calls } = await ask(answer);
    expect(calls('chat.appendStream')[0]?.result?.ok).toBe(false);
    expect(bot()).toHaveLength(1);
    expect(bot()[0]!.streaming).toBe(false); // the stream was stopped, not left open
    expect(h.slack.visibleText(bot()[0]!)).toBe(answer);
  });

  for (const size of [10_500, 30_000]) {
    it(`splits a ${size.toLocaleString('en')}-character answer under Slack's limits, losing nothing`, async () => {
      const answer = longAnswer(size);
      expect(fences(answer) % 2).toBe(0);
      const { bot, calls } = await ask(answer);
      const messages: PostedMessage[] = bot();
      expect(messages.length).toBeGreaterThanOrEqual(Math.ceil(answer.length / 12_000));
      for (const m of messages) {
        const visible = h.slack.visibleText(m);
        expect(visible.length).toBeLessThanOrEqual(12_000);
        expect(fences(visible) % 2).toBe(0);
        expect(m.streaming).not.toBe(true);
      }
      // Every stream call stayed under the markdown_text limit, and every post under msg_too_long.
      for (const method of [
        'chat.startStream',
        'chat.appendStream',
        'chat.stopStream',
        'chat.postMessage',
        'chat.update',
      ]) {
        for (const call of calls(method))
          expect(call.result?.ok, `${method} ${call.result?.error}`).toBe(true);
      }
      expect(squash(messages.map((m) => h.slack.visibleText(m)).join('\n'))).toBe(squash(answer));
    });
  }
});
