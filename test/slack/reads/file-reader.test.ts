/**
 * The file reader (src/slack/reads/file-reader.ts) against the fake Slack with the real
 * WebClient: bytes from url_private with the bot token; a file with no URL looked up with
 * files.info; Slack's sign-in redirect, a file over the limit and a URL off Slack's hosts are
 * failures with their codes, and the token never leaves for another host.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileReader } from '../../../src/slack/reads/file-reader.js';
import { type FakeSlack, startFakeSlack } from '../../kit/fake-slack/index.js';
import { pdfWithPages } from '../../kit/files.js';

let fake: FakeSlack;
let client: WebClient;
const pdf = pdfWithPages(['one', 'two', 'three']);

beforeEach(async () => {
  fake = await startFakeSlack();
  client = new WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
});
afterEach(() => fake.close());

const upload = () =>
  fake.addFile({
    name: 'brief.pdf',
    mimetype: 'application/pdf',
    filetype: 'pdf',
    bytes: pdf,
    user: 'U0ALICE',
  });

describe('createFileReader', () => {
  it('fetches the bytes from url_private_download with the bot token', async () => {
    const file = upload();
    const reader = createFileReader(client, fake.botToken, [fake.origin]);
    const bytes = await reader.fetch(
      { id: file.id, name: 'brief.pdf', url: file.url_private_download },
      1024 * 1024,
    );
    expect(Buffer.from(bytes)).toEqual(pdf);
    expect(fake.fileDownloads).toEqual([
      { fileId: file.id, authorization: `Bearer ${fake.botToken}`, status: 200 },
    ]);
  });

  it('looks up a file that came without a URL with files.info', async () => {
    const file = upload();
    const reader = createFileReader(client, fake.botToken, [fake.origin]);
    const bytes = await reader.fetch({ id: file.id, name: 'brief.pdf' }, 1024 * 1024);
    expect(Buffer.from(bytes)).toEqual(pdf);
    expect(fake.callsTo('files.info').map((c) => c.args.file)).toEqual([file.id]);
  });

  it("fails with file_unavailable on Slack's sign-in redirect (a token without access)", async () => {
    const file = upload();
    const reader = createFileReader(client, 'xoxb-not-this-workspace', [fake.origin]);
    await expect(
      reader.fetch({ id: file.id, name: 'brief.pdf', url: file.url_private }, 1024 * 1024),
    ).rejects.toMatchObject({ code: 'file_unavailable', message: expect.stringMatching(/302/) });
  });

  it('fails with file_unreadable once the bytes pass the limit', async () => {
    const file = upload();
    const reader = createFileReader(client, fake.botToken, [fake.origin]);
    await expect(
      reader.fetch({ id: file.id, name: 'brief.pdf', url: file.url_private }, pdf.length - 1),
    ).rejects.toMatchObject({ code: 'file_unreadable' });
  });

  it('never sends the token to a host that is not Slack', async () => {
    const seen: Array<string | undefined> = [];
    const elsewhere = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end('gotcha');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const { port } = elsewhere.address() as AddressInfo;
    try {
      const reader = createFileReader(client, fake.botToken, [fake.origin]);
      await expect(
        reader.fetch({ id: 'F1', name: 'x.pdf', url: `http://127.0.0.1:${port}/x.pdf` }, 1024),
      ).rejects.toMatchObject({ code: 'file_unavailable' });
      expect(seen).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });
});
