/**
 * Files in the thread, end to end (real app, real Redis, fake Slack serving the files, fake
 * Anthropic checking the blocks like the API): attached files reach Claude as `document` and
 * `image` blocks, fetched from url_private with the bot token; what the app cannot take gets a
 * clear reply naming what it can; a file-only mention is answered; and no file's contents land
 * in the logs or anywhere in Redis (history, checkpoints, the queue), not even while a turn
 * waits for approval, after which the files are fetched again for the rest of the turn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerIn,
  approvalPrompt,
  buttonClick,
  composioUserOf,
  mention,
  messagesOf,
} from '../kit/agent-helpers.js';
import { text } from '../kit/fake-anthropic/index.js';
import { pdfWithPages, TINY_PNG } from '../kit/files.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { createPageCall, deletePageCall, seedPage } from '../kit/tool-calls.js';

const USER = 'U0FILES';
// Words only the PDF's pages hold: they must reach the model, and nowhere else.
const PAGES = ['Page one: QUOKKA-ALPHA', 'Page two: QUOKKA-BRAVO', 'Page three: QUOKKA-CHARLIE'];

// biome-ignore lint/suspicious/noExplicitAny: recorded request bodies are free-form JSON.
type Block = any;

describe('files attached to a mention or DM', () => {
  let h: Harness;
  const pdf = pdfWithPages(PAGES);
  const pdfBase64 = pdf.toString('base64');
  const pngBase64 = TINY_PNG.toString('base64');
  const attachPdf = (name = 'launch-brief.pdf') =>
    h.slack.addFile({ name, mimetype: 'application/pdf', filetype: 'pdf', bytes: pdf, user: USER });
  const attachPng = () =>
    h.slack.addFile({
      name: 'diagram.png',
      mimetype: 'image/png',
      filetype: 'png',
      bytes: TINY_PNG,
      user: USER,
    });
  const needles = [pdfBase64.slice(0, 40), pdfBase64.slice(200, 240), pngBase64.slice(20, 60)];
  /** Fails if any part of a file's contents is in the logs or anywhere in Redis. */
  async function expectNoFileContents() {
    // The needles do stand for the contents: the model was sent them.
    const sent = JSON.stringify(h.anthropic.requests.map((r) => r.body));
    for (const needle of needles) expect(sent).toContain(needle);
    const places = { logs: JSON.stringify(h.logs), redis: await h.state.everything() };
    for (const [where, haystack] of Object.entries(places)) {
      for (const needle of [...needles, 'QUOKKA'])
        expect(haystack.includes(needle), `${needle} in ${where}`).toBe(false);
    }
  }

  beforeAll(async () => {
    h = await startHarness();
    h.composio.connect(composioUserOf(h, USER));
  });
  afterAll(() => h?.stop());

  it('hands a 3-page PDF and a PNG to Claude as a document and an image, fetched with the bot token', async () => {
    expect(pdf.toString('latin1')).toContain('/Count 3'); // the fixture is a 3-page PDF
    const pdfFile = attachPdf();
    const pngFile = attachPng();
    h.anthropic.script(
      { content: [createPageCall('Launch Brief', { html: '<p>From the PDF.</p>' })] },
      { content: [text('Created Launch Brief in MKT from the PDF.')] },
    );
    const before = h.anthropic.requests.length;
    const turn = await mention(h, {
      user: USER,
      channel: 'C0BRIEF',
      text: 'put this PDF into a page in MKT',
      files: [pdfFile, pngFile],
    });
    await answerIn(h, 'C0BRIEF', turn.threadTs, 'Created Launch Brief in MKT');
    await h.state.turnEnded(turn.eventId);

    // Both calls of the turn (before and after the tool call) carry the files, in front of the text.
    expect(h.anthropic.requests.length).toBe(before + 2);
    for (const index of [before, before + 1]) {
      const content: Block[] = messagesOf(h, index)[0].content;
      expect(content.map((b) => b.type)).toEqual(['document', 'image', 'text']);
      expect(content[0]).toMatchObject({
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: pdfBase64 },
        title: 'launch-brief.pdf',
      });
      expect(content[1]).toMatchObject({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: pngBase64 },
      });
      expect(content[2].text).toContain('put this PDF into a page in MKT');
      expect(content[2].text).toContain('launch-brief.pdf (PDF, ');
      expect(content[2].text).toContain('diagram.png (PNG image, ');
    }
    // The page was made; each file was fetched once, with the bot token, from its url_private.
    const site = h.composio.confluence.site(composioUserOf(h, USER));
    expect(site.pages.filter((p) => p.title === 'Launch Brief')).toHaveLength(1);
    const bearer = `Bearer ${h.slack.botToken}`;
    expect(h.slack.fileDownloads).toHaveLength(2);
    expect(h.slack.fileDownloads).toEqual(
      expect.arrayContaining([
        { fileId: pdfFile.id, authorization: bearer, status: 200 },
        { fileId: pngFile.id, authorization: bearer, status: 200 },
      ]),
    );

    // The stored history names the files in one line, and holds none of their contents.
    const stored = await h.state.everything();
    expect(stored).toContain('launch-brief.pdf (PDF, ');
    await expectNoFileContents();
  });

  it('answers a mention that holds only a file', async () => {
    h.anthropic.script({ content: [text('The diagram is a single transparent pixel.')] });
    const before = h.anthropic.requests.length;
    const turn = await mention(h, {
      user: USER,
      channel: 'C0ONLYFILE',
      text: '',
      files: [attachPng()],
    });
    await answerIn(h, 'C0ONLYFILE', turn.threadTs, 'a single transparent pixel');
    const content: Block[] = messagesOf(h, before)[0].content;
    expect(content.map((b) => b.type)).toEqual(['image', 'text']);
    expect(content[1].text).toMatch(/^\[Files attached to this message: diagram\.png/);
  });

  it('answers a DM that holds only a file (a file_share message)', async () => {
    h.anthropic.script({ content: [text('Your brief has three pages.')] });
    const before = h.anthropic.requests.length;
    const file = attachPdf('brief.pdf');
    const message = h.slack.addMessage({ channel: 'D0FILES', user: USER, text: '' });
    const sent = await h.requester.event(h.eventsUrl, {
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      channel: 'D0FILES',
      user: USER,
      text: '',
      ts: message.ts,
      files: [file],
    });
    expect(sent.status).toBe(200);
    await answerIn(h, 'D0FILES', message.ts, 'three pages');
    expect(messagesOf(h, before)[0].content[0]).toMatchObject({
      type: 'document',
      source: { media_type: 'application/pdf', data: pdfBase64 },
    });
  });

  it('refuses a 50 MB file and an .exe clearly, naming what it can read, without the model', async () => {
    const before = {
      requests: h.anthropic.requests.length,
      downloads: h.slack.fileDownloads.length,
    };
    const huge = h.slack.addFile({
      name: 'all-hands.pdf',
      mimetype: 'application/pdf',
      filetype: 'pdf',
      bytes: pdf,
      user: USER,
      size: 50 * 1024 * 1024,
    });
    const big = await mention(h, {
      user: USER,
      channel: 'C0REFUSE',
      text: 'put this into a page',
      files: [huge],
    });
    const tooBig = await h.waitForBotReply('C0REFUSE', big.threadTs, 'all-hands.pdf is 50 MB');
    expect(h.slack.visibleText(tooBig)).toContain('I can take files up to 10 MB');
    expect(h.slack.visibleText(tooBig)).toContain('I can read PDFs, plain text, Markdown and CSV');

    const exe = h.slack.addFile({
      name: 'setup.exe',
      mimetype: 'application/x-msdownload',
      filetype: 'binary',
      bytes: Buffer.from('MZ\x90\x00'),
      user: USER,
    });
    const run = await mention(h, {
      user: USER,
      channel: 'C0REFUSE',
      text: 'what is this',
      files: [exe],
    });
    const refused = await h.waitForBotReply('C0REFUSE', run.threadTs, "I can't read setup.exe");
    expect(h.slack.visibleText(refused)).toContain('PNG, JPEG, GIF and WebP images');

    expect(h.anthropic.requests.length).toBe(before.requests);
    expect(h.slack.fileDownloads.length).toBe(before.downloads);
  });

  it('keeps no bytes in the checkpoint of a turn awaiting approval, and fetches the files again after Approve', async () => {
    const pageId = seedPage(h.composio, composioUserOf(h, USER), 'Old Brief');
    const file = attachPdf('new-brief.pdf');
    h.anthropic.script({
      content: [text('This PDF replaces "Old Brief"; deleting it.'), deletePageCall(pageId)],
    });
    const before = h.anthropic.requests.length;
    const turn = await mention(h, {
      user: USER,
      channel: 'C0APPROVE',
      text: 'this PDF replaces Old Brief, delete the old one',
      files: [file],
    });
    const prompt = await approvalPrompt(h, turn.threadTs);
    const paused = await h.state.turnPaused(turn.eventId);
    expect(JSON.stringify(paused)).toContain('new-brief.pdf (PDF, ');
    await expectNoFileContents();
    const fetched = () => h.slack.fileDownloads.filter((d) => d.fileId === file.id);
    expect(fetched()).toHaveLength(1);

    h.anthropic.script({ content: [text('Deleted Old Brief.')] });
    const click = buttonClick(h, {
      user: USER,
      channel: 'C0APPROVE',
      message: { ts: String(prompt.result!.ts), thread_ts: turn.threadTs },
      actionId: 'approval_approve',
      value: turn.eventId,
    });
    expect((await h.requester.interaction(h.eventsUrl, click)).status).toBe(200);
    await answerIn(h, 'C0APPROVE', turn.threadTs, 'Deleted Old Brief.');
    await h.state.turnEnded(turn.eventId);

    // The call after the approval sees the PDF again, fetched anew from Slack with the bot token.
    expect(h.anthropic.requests.length).toBe(before + 2);
    const resumed: Block[] = messagesOf(h, before + 1)[0].content;
    expect(resumed[0]).toMatchObject({ type: 'document', source: { data: pdfBase64 } });
    expect(fetched()).toHaveLength(2);
    expect(fetched().every((d) => d.authorization === `Bearer ${h.slack.botToken}`)).toBe(true);
    await expectNoFileContents();
  });
});
