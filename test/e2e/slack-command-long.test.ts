/** `/confluence` with a long request full of `&`, `<` and lines: the quoting root stays within Slack's limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';

const CHANNEL = 'C0CMDLONG';
const USER = 'U0CMDLONG';

describe('/confluence with a long request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it('posts a root quoting it within 3,000 characters, cut visibly, and answers in its thread', async () => {
    // 2,800 characters on 280 lines; escaped and quoted it would be over 5,000.
    const request = 'a & b < c\n'.repeat(280);
    expect(request.length).toBe(2_800);
    h.anthropic.respondWith(() => ({ content: [text('Done with the long list.')] }));
    const res = await h.requester.command(h.eventsUrl, {
      text: request,
      user_id: USER,
      channel_id: CHANNEL,
      response_url: h.slack.responseUrl('long'),
    });
    expect(res.status).toBe(200);

    const post = await h.slack.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === CHANNEL && !c.args.thread_ts,
    );
    expect(post.result?.ok, JSON.stringify(post.result)).toBe(true);
    const section = post.args.blocks[0].text.text as string;
    expect(section.length).toBeLessThanOrEqual(3_000);
    expect(section).toMatch(
      new RegExp(`^<@${USER}> asked via \`/confluence\`:\n>a &amp; b &lt; c\n>`),
    );
    expect(section.endsWith('…')).toBe(true);
    // Every entity is whole and no raw `<` or `&` is left.
    expect(section.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/[&]/);
    expect(
      section
        .split('\n')
        .slice(1)
        .every((line) => line.startsWith('>')),
    ).toBe(true);

    const rootTs = String(post.result!.ts);
    await h.waitForBotReply(CHANNEL, rootTs, 'Done with the long list.');
    // The model got the whole request, not the cut quote.
    expect(JSON.stringify(h.anthropic.requests.at(-1)!.body.messages)).toContain(
      JSON.stringify(request.trim()).slice(1, -1),
    );
    expect(h.slack.responses.filter((r) => r.id === 'long')).toEqual([]);
  });
});
