/** Answers cite the Confluence pages they rely on, through the real app and the fakes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerIn,
  composioUserOf,
  mention,
  messagesOf,
  toolResultsOf,
} from '../kit/agent-helpers.js';
import { cited, text } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import {
  createPageCall,
  getSpacesCall,
  runTool,
  runTools,
  storageBody,
} from '../kit/tool-calls.js';

const CHANNEL = 'C0CITE';
// Long enough that a stored history holding whole pages would show it.
const FILLER = ' Background detail that only matters to readers of the page.'.repeat(80);

describe('cited answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  /** A connected user with three launch pages in MKT; returns their ids by title. */
  function seed(user: string) {
    const composioUser = composioUserOf(h, user);
    h.composio.connect(composioUser);
    const ids: Record<string, string> = {};
    for (const [title, html] of [
      ['Launch Plan', `<p>We launch on 12 May.</p><p>${FILLER}</p>`],
      ['Launch Budget', `<p>The launch budget is 2M.</p><p>${FILLER}</p>`],
      ['Launch Retro', `<p>Retro notes from the last launch.</p><p>${FILLER}</p>`],
    ] as const) {
      const created = h.composio.confluence.execute(composioUser, 'CONFLUENCE_CREATE_PAGE', {
        spaceId: 'MKT',
        title,
        body: storageBody(html),
      });
      ids[title] = String(created.data.id);
    }
    return ids;
  }

  // Full-text search: the three pages, in creation order, are search results 0, 1 and 2.
  const searchLaunch = () =>
    runTool('CONFLUENCE_CQL_SEARCH', { cql: 'space = MKT AND text ~ "launch"' });
  const pageUrl = (user: string, id: string, slug: string) =>
    `https://fake-${composioUserOf(h, user).toLowerCase()}.atlassian.net/wiki/spaces/MKT/pages/${id}/${slug}`;
  const finalAnswer = (threadTs: string) =>
    h.slack
      .messages(CHANNEL, threadTs)
      .filter((m) => m.bot_id)
      .map((m) => h.slack.visibleText(m))
      .join('\n');

  it('marks the two pages an answer relies on and lists them, linked, and not the page it only read', async () => {
    const user = 'U0CITE1';
    const ids = seed(user);
    const first = h.anthropic.requests.length;
    h.anthropic.script(
      { content: [searchLaunch()] },
      {
        content: [
          text('We launch '),
          cited('on 12 May', 0),
          text(' with a budget of '),
          cited('2M', 1),
          text('.'),
        ],
      },
    );
    const turn = await mention(h, { user, channel: CHANNEL, text: 'when is the launch?' });
    await answerIn(h, CHANNEL, turn.threadTs, 'Sources');

    // The model got the pages as citable search results, with their text.
    const [result] = messagesOf(h, first + 1).at(-1).content;
    const results = result.content.filter((b: { type: string }) => b.type === 'search_result');
    expect(results.map((r: { title: string }) => r.title)).toEqual([
      'Launch Plan',
      'Launch Budget',
      'Launch Retro',
    ]);
    expect(
      results.every(
        (r: { citations: unknown }) => JSON.stringify(r.citations) === '{"enabled":true}',
      ),
    ).toBe(true);
    expect(JSON.stringify(results[0].content)).toContain('We launch on 12 May.');

    const shown = finalAnswer(turn.threadTs);
    expect(shown).toContain('We launch on 12 May[1] with a budget of 2M[2].');
    expect(shown).toContain(
      `[1] [Launch Plan](${pageUrl(user, ids['Launch Plan']!, 'Launch+Plan')}) · MKT`,
    );
    expect(shown).toContain(
      `[2] [Launch Budget](${pageUrl(user, ids['Launch Budget']!, 'Launch+Budget')}) · MKT`,
    );
    expect(shown).not.toContain('Launch Retro');
    expect(shown.match(/\*\*Sources\*\*/g)).toHaveLength(1);
    // The answer with its sources is one finished message, carrying the turn's mark.
    const bot = h.slack.messages(CHANNEL, turn.threadTs).filter((m) => m.bot_id);
    expect(bot).toHaveLength(1);
    expect(bot[0]!.metadata?.event_type).toBe('confluence_agent_turn');
  });

  it('streams a long cited answer with its markers, then its sources, into one message', async () => {
    const user = 'U0CITE4';
    const ids = seed(user);
    const intro = `${'Here is what the launch pages say, in some detail. '.repeat(12).trim()} `;
    h.anthropic.script(
      { content: [searchLaunch()] },
      { content: [text(intro), cited('The budget is 2M.', 1)] },
    );
    const turn = await mention(h, { user, channel: CHANNEL, text: 'tell me about the launch' });
    await answerIn(h, CHANNEL, turn.threadTs, 'Sources');

    const inThread = (c: { args: Record<string, unknown> }) => c.args.channel === CHANNEL;
    const bot = h.slack.messages(CHANNEL, turn.threadTs).filter((m) => m.bot_id);
    expect(bot).toHaveLength(1);
    const streamed = (method: string) =>
      h.slack
        .callsTo(method)
        .filter(
          (c) => inThread(c) && (c.args.thread_ts === turn.threadTs || c.args.ts === bot[0]!.ts),
        );
    expect(streamed('chat.startStream')).toHaveLength(1);
    expect(streamed('chat.stopStream')).toHaveLength(1);
    expect(streamed('chat.update')).toEqual([]);
    const url = pageUrl(user, ids['Launch Budget']!, 'Launch+Budget');
    expect(h.slack.visibleText(bot[0]!)).toBe(
      `${intro}The budget is 2M.[1]\n\n**Sources**\n- [1] [Launch Budget](${url}) · MKT`,
    );
    expect(bot[0]!.metadata?.event_type).toBe('confluence_agent_turn');
  });

  it('shows no sources for an answer that cites no page, even after reading pages', async () => {
    const user = 'U0CITE2';
    seed(user);
    h.anthropic.script(
      { content: [getSpacesCall()] },
      { content: [text('You have MKT and ENG.')] },
    );
    const spaces = await mention(h, { user, channel: CHANNEL, text: 'which spaces?' });
    await answerIn(h, CHANNEL, spaces.threadTs, 'You have MKT and ENG.');
    expect(finalAnswer(spaces.threadTs)).not.toContain('Sources');

    h.anthropic.script(
      { content: [searchLaunch()] },
      { content: [text('There are three launch pages.')] },
    );
    const search = await mention(h, { user, channel: CHANNEL, text: 'any launch pages?' });
    await answerIn(h, CHANNEL, search.threadTs, 'There are three launch pages.');
    expect(finalAnswer(search.threadTs)).not.toMatch(/Sources|\[1\]/);

    // The page a write returns is no source: its result stays as the tool gave it.
    const before = h.anthropic.requests.length;
    h.anthropic.script(
      { content: [createPageCall('Launch Checklist')] },
      { content: [text('Created it.')] },
    );
    const write = await mention(h, { user, channel: CHANNEL, text: 'make a checklist page' });
    await answerIn(h, CHANNEL, write.threadTs, 'Created it.');
    const [created] = toolResultsOf(h, before + 1);
    expect(JSON.stringify(created!.content)).toContain('Launch Checklist');
    expect(JSON.stringify(created!.content)).not.toContain('search_result');
  });

  it('stores a compact history, and sends the same history bytes turn after turn', async () => {
    const user = 'U0CITE3';
    const ids = seed(user);
    const readAll = runTools(Object.values(ids).map((id) => ['CONFLUENCE_GET_PAGE_BY_ID', { id }]));
    const requestsOf = (from: number) => h.anthropic.requests.slice(from).map((r) => r.body);
    const turn1 = h.anthropic.requests.length;
    h.anthropic.script({ content: [readAll] }, { content: [cited('12 May.', 0)] });
    const first = await mention(h, { user, channel: CHANNEL, text: 'when is the launch?' });
    await answerIn(h, CHANNEL, first.threadTs, 'Sources');

    const turn2 = h.anthropic.requests.length;
    h.anthropic.script({ content: [text('It is in MKT.')] });
    await mention(h, { user, channel: CHANNEL, text: 'which space?', threadTs: first.threadTs });
    await answerIn(h, CHANNEL, first.threadTs, 'It is in MKT.');

    const turn3 = h.anthropic.requests.length;
    h.anthropic.script({ content: [text('Nothing else.')] });
    await mention(h, { user, channel: CHANNEL, text: 'anything else?', threadTs: first.threadTs });
    await answerIn(h, CHANNEL, first.threadTs, 'Nothing else.');

    const [, withPages] = requestsOf(turn1);
    const [second] = requestsOf(turn2);
    const [third] = requestsOf(turn3);
    // Within the turn the model read whole pages; the history after it keeps a line per page.
    expect(JSON.stringify(withPages.messages)).toContain(FILLER.trim().slice(0, 200));
    const history = JSON.stringify(second.messages.slice(0, 4));
    expect(history).toContain('[page \\"Launch Plan\\"');
    expect(history).not.toContain(FILLER.repeat(2).trim());
    expect(history).not.toMatch(/search_result|citations/);
    expect(history.length).toBeLessThan(JSON.stringify(withPages.messages).length / 3);
    // The cached prefix: tools and system alike in all three turns; the first turn's request up
    // to its page results alike in the second; the stored history alike in the second and third.
    const prefix = (b: typeof second) => JSON.stringify([b.tools, b.system[0]]);
    expect(prefix(second)).toBe(prefix(withPages));
    expect(prefix(third)).toBe(prefix(withPages));
    expect(JSON.stringify(second.messages.slice(0, 2))).toBe(
      JSON.stringify(withPages.messages.slice(0, 2)),
    );
    expect(JSON.stringify(third.messages.slice(0, 4))).toBe(history);
  });
});
