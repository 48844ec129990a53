import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import {
  createPrivateReplies,
  markdownMessages,
  RESPONSE_URL_LIFETIME_MS,
  RESPONSE_URL_MAX_USES,
} from '../../../src/slack/output/response-url.js';
import { SLACK_MARKDOWN_LIMIT } from '../../../src/slack/text/split-message.js';
import type { TurnRequest } from '../../../src/turns/turn-request.js';
import { type FakeSlack, startFakeSlack } from '../../kit/fake-slack/index.js';

const silent = createLogger({ level: 'silent' });

describe('replies through a response_url, within its five uses and 30 minutes', () => {
  let slack: FakeSlack;
  let client: WebClient;
  beforeAll(async () => {
    slack = await startFakeSlack();
    client = new WebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
  });
  afterAll(() => slack.close());

  /** A use counter like the store's, in memory. */
  const counter = () => {
    const uses = new Map<string, number>();
    return {
      uses,
      add: async (url: string, n: number) => {
        uses.set(url, (uses.get(url) ?? 0) + n);
        return uses.get(url)!;
      },
    };
  };
  let n = 0;
  const request = (receivedAt = Date.now()): TurnRequest => {
    n += 1;
    return {
      id: `cmd-${n}`,
      source: 'command',
      teamId: slack.teamId,
      userId: `U0PRIV${n}`,
      channel: 'C0NOTMEMBER',
      threadTs: `cmd-${n}`,
      messageTs: `cmd-${n}`,
      text: 'x',
      responseUrl: slack.responseUrl(`priv-${n}`),
      receivedAt,
    };
  };
  const postsTo = (id: string) => slack.responses.filter((r) => r.id === id);

  it('uses the response_url while all of a reply fits in its uses, then a DM', async () => {
    const uses = counter();
    const replies = createPrivateReplies(client, uses, silent);
    const r = request();
    await replies.send(r, [{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
    expect(postsTo(`priv-${n}`)).toHaveLength(3);
    const dmsBefore = slack.callsTo('conversations.open').length;
    // Three more would make six: all three go by DM instead, the first saying what it is about.
    await replies.send(r, [{ text: 'four' }, { text: 'five' }, { text: 'six' }]);
    expect(postsTo(`priv-${n}`)).toHaveLength(3);
    expect(slack.callsTo('conversations.open').length).toBe(dmsBefore + 1);
    const dms = slack.callsTo('chat.postMessage').slice(-3);
    expect(dms.map((c) => c.args.text)).toEqual(['four', 'five', 'six']);
    expect(JSON.stringify(dms[0]!.args.blocks)).toContain('<#C0NOTMEMBER>');
    expect(dms.every((c) => c.result?.ok)).toBe(true);
    expect(uses.uses.get(r.responseUrl!)).toBeGreaterThan(RESPONSE_URL_MAX_USES);
  });

  it('goes by DM once the response_url is near the end of its 30 minutes', async () => {
    const replies = createPrivateReplies(client, counter(), silent);
    const r = request(Date.now() - RESPONSE_URL_LIFETIME_MS + 30_000);
    await replies.send(r, [{ text: 'late answer' }]);
    expect(postsTo(`priv-${n}`)).toHaveLength(0);
    expect(slack.callsTo('chat.postMessage').at(-1)?.args.text).toBe('late answer');
  });

  it('still replies through the response_url when the uses cannot be counted', async () => {
    const replies = createPrivateReplies(
      client,
      { add: () => Promise.reject(new Error('store down')) },
      silent,
    );
    await replies.send(request(), [{ text: 'anyway' }]);
    expect(postsTo(`priv-${n}`).map((p) => p.body.text)).toEqual(['anyway']);
  });

  it("splits a long answer into messages within Slack's markdown limit", () => {
    const para = (i: number) => `Paragraph ${i}. ${'word '.repeat(1_000)}`;
    const markdown = Array.from({ length: 9 }, (_, i) => para(i)).join('\n\n');
    const messages = markdownMessages(markdown);
    // Two ~5,000-character paragraphs fit in a message of 12,000: nine take five messages.
    expect(messages).toHaveLength(5);
    for (const m of messages) {
      const blocks = m.blocks as Array<{ text: string }>;
      expect(blocks.reduce((sum, b) => sum + b.text.length, 0)).toBeLessThanOrEqual(
        SLACK_MARKDOWN_LIMIT,
      );
    }
    const all = messages.flatMap((m) => (m.blocks as Array<{ text: string }>).map((b) => b.text));
    for (let i = 0; i < 9; i++) expect(all.join('\n')).toContain(`Paragraph ${i}.`);
    expect(markdownMessages('short')).toEqual([
      { text: 'short', blocks: [{ type: 'markdown', text: 'short' }] },
    ]);
  });
});
