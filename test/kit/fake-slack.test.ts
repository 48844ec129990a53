import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackRequester, type FakeSlack, startFakeSlack } from './fake-slack/index.js';

const CHANNEL = 'C0GENERAL';
const HUMAN = 'U0HUMAN';

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await startFakeSlack();
  client = new WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
});
afterEach(async () => {
  await fake.close();
});

describe('fake Slack Web API with the real WebClient', () => {
  it('answers auth.test with the bot identity', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TEAM' });
    expect(fake.callsTo('auth.test')[0]?.token).toBe(fake.botToken);
  });

  it('stores a threaded post with its blocks parsed back from JSON', async () => {
    const root = fake.addMessage({ channel: CHANNEL, user: HUMAN, text: 'hello bot' });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
    const posted = await client.chat.postMessage({
      channel: CHANNEL,
      thread_ts: root.ts,
      text: 'hi',
      blocks,
    });

    expect(posted.ts! > root.ts).toBe(true);
    expect(fake.messages(CHANNEL, root.ts)).toEqual([
      root,
      expect.objectContaining({ ts: posted.ts, thread_ts: root.ts, text: 'hi', user: 'U0BOT' }),
    ]);
    const call = await fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === root.ts);
    expect(call.args.blocks).toEqual(blocks);
  });

  it('keeps message metadata and returns it only with include_all_metadata', async () => {
    const root = fake.addMessage({ channel: CHANNEL, user: HUMAN, text: 'hello bot' });
    const metadata = { event_type: 'turn_posted', event_payload: { turn_id: 'Ev1', part: 0 } };
    const posted = await client.chat.postMessage({
      channel: CHANNEL,
      thread_ts: root.ts,
      text: 'hi',
      metadata,
    });
    const read = (include: boolean) =>
      client.conversations.replies({
        channel: CHANNEL,
        ts: root.ts,
        include_all_metadata: include,
      });
    expect((await read(false)).messages?.at(-1)?.metadata).toBeUndefined();
    expect((await read(true)).messages?.at(-1)).toMatchObject({ ts: posted.ts, metadata });
    const history = await client.conversations.history({
      channel: CHANNEL,
      include_all_metadata: true,
    });
    expect(history.messages?.[0]?.metadata).toBeUndefined(); // the root carries none
    await client.chat.update({
      channel: CHANNEL,
      ts: posted.ts!,
      text: 'hi again',
      metadata: { event_type: 'turn_posted', event_payload: { turn_id: 'Ev1', part: 1 } },
    });
    expect((await read(true)).messages?.at(-1)?.metadata?.event_payload).toEqual({
      turn_id: 'Ev1',
      part: 1,
    });
    await expect(
      client.chat.postMessage({
        channel: CHANNEL,
        text: 'bad',
        // Slack refuses metadata without an event_type.
        metadata: { event_payload: {} },
      }),
    ).rejects.toMatchObject({ data: { error: 'invalid_metadata_format' } });
  });

  it('pages conversations.replies with limit and cursors', async () => {
    const root = fake.addMessage({ channel: CHANNEL, user: HUMAN, text: 'm0' });
    for (let i = 1; i < 5; i += 1) {
      fake.addMessage({ channel: CHANNEL, user: HUMAN, text: `m${i}`, thread_ts: root.ts });
    }
    const texts: string[] = [];
    const hasMore: boolean[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.replies({
        channel: CHANNEL,
        ts: root.ts,
        limit: 2,
        cursor,
      });
      texts.push(...(page.messages ?? []).map((m) => m.text ?? ''));
      hasMore.push(page.has_more === true);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(texts).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(hasMore).toEqual([true, true, false]);

    const viaPaginate: string[] = [];
    for await (const page of client.paginate('conversations.replies', {
      channel: CHANNEL,
      ts: root.ts,
      limit: 2,
    })) {
      const { messages = [] } = page as { messages?: Array<{ text: string }> };
      viaPaginate.push(...messages.map((m) => m.text));
    }
    expect(viaPaginate).toEqual(texts);
    await expect(
      client.conversations.replies({ channel: CHANNEL, ts: '1.000001' }),
    ).rejects.toMatchObject({
      data: { error: 'thread_not_found' },
    });
  });

  it('streams start/append/stop into one message and refuses appends after stop', async () => {
    const root = fake.addMessage({ channel: CHANNEL, user: HUMAN, text: 'question' });
    const recipient = { recipient_team_id: 'T0TEAM', recipient_user_id: HUMAN };
    const start = await client.chat.startStream({
      channel: CHANNEL,
      thread_ts: root.ts,
      markdown_text: 'Hel',
      ...recipient,
    });
    const ts = start.ts!;
    expect(fake.messages(CHANNEL, root.ts)[1]).toMatchObject({ ts, text: 'Hel', streaming: true });

    await client.chat.appendStream({ channel: CHANNEL, ts, markdown_text: 'lo' });
    await client.chat.appendStream({
      channel: CHANNEL,
      ts,
      chunks: [{ type: 'markdown_text', text: ' world' }],
    });
    await client.chat.stopStream({ channel: CHANNEL, ts, markdown_text: '!' });
    expect(fake.messages(CHANNEL, root.ts)[1]).toMatchObject({
      ts,
      text: 'Hello world!',
      streaming: false,
    });
    await expect(
      client.chat.appendStream({ channel: CHANNEL, ts, markdown_text: 'late' }),
    ).rejects.toMatchObject({
      data: { error: 'message_not_in_streaming_state' },
    });
    await expect(
      client.chat.startStream({ channel: CHANNEL, thread_ts: root.ts, markdown_text: 'x' }),
    ).rejects.toMatchObject({
      data: { error: 'missing_recipient_team_id' },
    });

    const streamer = client.chatStream({ channel: CHANNEL, thread_ts: root.ts, ...recipient });
    await streamer.append({ markdown_text: 'buffered ' });
    await streamer.stop({ markdown_text: 'answer' });
    expect(fake.messages(CHANNEL, root.ts).at(-1)).toMatchObject({
      text: 'buffered answer',
      streaming: false,
    });
  });

  it('records assistant.threads.setStatus and clears it when the bot replies', async () => {
    const root = fake.addMessage({ channel: CHANNEL, user: HUMAN, text: 'q' });
    await client.assistant.threads.setStatus({
      channel_id: CHANNEL,
      thread_ts: root.ts,
      status: 'is thinking…',
      loading_messages: ['Reading Confluence…', 'Thinking…'],
    });
    const call = await fake.waitFor('assistant.threads.setStatus');
    expect(call.args.loading_messages).toEqual(['Reading Confluence…', 'Thinking…']);
    expect(fake.threadStatus(CHANNEL, root.ts)).toBe('is thinking…');
    await client.chat.postMessage({ channel: CHANNEL, thread_ts: root.ts, text: 'done' });
    expect(fake.threadStatus(CHANNEL, root.ts)).toBeUndefined();
  });

  it('answers users.info from addUser and user_not_found otherwise', async () => {
    fake.addUser({ id: HUMAN, name: 'ada', real_name: 'Ada Lovelace', email: 'ada@example.com' });
    const info = await client.users.info({ user: HUMAN });
    expect(info.user).toMatchObject({
      id: HUMAN,
      name: 'ada',
      profile: { real_name: 'Ada Lovelace', email: 'ada@example.com' },
    });
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'user_not_found' },
    });
  });

  it('fails the next call once with failNext, including HTTP 429 with retry-after', async () => {
    fake.failNext('chat.postMessage', 'not_in_channel');
    await expect(client.chat.postMessage({ channel: CHANNEL, text: 'a' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'not_in_channel' },
    });
    await expect(client.chat.postMessage({ channel: CHANNEL, text: 'b' })).resolves.toMatchObject({
      ok: true,
    });

    fake.failNext('chat.postMessage', 'ratelimited', { retryAfter: 0 });
    const retrying = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
      logLevel: LogLevel.ERROR,
    });
    await expect(retrying.chat.postMessage({ channel: CHANNEL, text: 'c' })).resolves.toMatchObject(
      { ok: true },
    );
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 200, 429, 200]);

    fake.failNext('chat.update', 'ratelimited', { retryAfter: 30 });
    const rejecting = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
    });
    await expect(
      rejecting.chat.update({ channel: CHANNEL, ts: '1.1', text: 'x' }),
    ).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 30,
    });
  });

  it('validates tokens, content and method names like Slack', async () => {
    const stranger = new WebClient('xoxb-wrong', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(
      client.chat.postMessage({ channel: CHANNEL, text: 'x'.repeat(40_001) }),
    ).rejects.toMatchObject({
      data: { error: 'msg_too_long' },
    });
    await expect(client.apiCall('chat.postMessage', { channel: CHANNEL })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
    await expect(client.apiCall('no.such.method')).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
    expect(fake.messages(CHANNEL)).toEqual([]);
  });

  it('holds messages to 50 blocks and modals to 100, context blocks to 10 elements, modal titles to 24 characters', async () => {
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'x' } };
    const blocks = (n: number) => Array.from({ length: n }, () => section);
    const bad = { data: { error: 'invalid_blocks' } };
    await expect(
      client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: blocks(51) }),
    ).rejects.toMatchObject(bad);
    await client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: blocks(50) });
    const context = (n: number) => ({
      type: 'context',
      elements: Array.from({ length: n }, () => ({ type: 'mrkdwn', text: 'x' })),
    });
    await expect(
      client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [context(11)] }),
    ).rejects.toMatchObject(bad);
    await client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [context(10)] });

    const modal = (n: number, title = 'Changes to approve') => ({
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: title },
      blocks: blocks(n),
    });
    const open = (view: ReturnType<typeof modal>) =>
      client.views.open({ trigger_id: '1.2.3', view: view as never });
    expect((await open(modal(100))).ok).toBe(true);
    await expect(open(modal(101))).rejects.toMatchObject(bad);
    await expect(open(modal(1, 'x'.repeat(25)))).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
  });

  it('keeps ephemerals out of threads and records response_url posts', async () => {
    const root = fake.addMessage({ channel: CHANNEL, user: HUMAN, text: 'q' });
    const eph = await client.chat.postEphemeral({
      channel: CHANNEL,
      user: HUMAN,
      thread_ts: root.ts,
      text: 'psst',
    });
    expect(eph.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.ephemerals).toEqual([expect.objectContaining({ user: HUMAN, text: 'psst' })]);
    expect(fake.messages(CHANNEL, root.ts)).toEqual([root]);

    const url = fake.responseUrl('cmd1');
    const pending = fake.waitForResponse((r) => r.id === 'cmd1');
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"ok"}',
    });
    await expect(pending).resolves.toEqual({ id: 'cmd1', body: { text: 'ok' } });
  });

  it('rejects waitFor on timeout with the calls it saw', async () => {
    await client.auth.test();
    await expect(fake.waitFor('chat.postMessage', undefined, 50)).rejects.toThrow(
      /no chat\.postMessage call.*\n.*auth\.test/s,
    );
  });
});

describe('a real Bolt App in HTTP mode against the fake', () => {
  const SECRET = 'fake-signing-secret';
  let app: App;
  let eventsUrl: string;

  beforeEach(async () => {
    app = new App({
      token: fake.botToken,
      signingSecret: SECRET,
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.event('app_mention', async ({ event, say }) => {
      await say({ text: `you said: ${event.text}`, thread_ts: event.thread_ts ?? event.ts });
    });
    app.shortcut('summarise', async ({ ack }) => {
      await ack();
    });
    app.command('/confluence', async ({ ack, respond, command }) => {
      await ack();
      await respond({ text: `searching for ${command.text}` });
    });
    // HTTPReceiver.start passes an object straight to server.listen: port 0 + host binds 127.0.0.1 only.
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterEach(async () => {
    await app.stop();
  });

  it('receives a signed app_mention and replies in the thread', async () => {
    const requester = createSlackRequester(SECRET);
    const root = fake.addMessage({ channel: CHANNEL, user: HUMAN, text: '<@U0BOT> ping' });
    const sent = await requester.event(eventsUrl, {
      type: 'app_mention',
      user: HUMAN,
      text: root.text,
      ts: root.ts,
      channel: CHANNEL,
    });
    expect(sent.status).toBe(200);

    await fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === root.ts);
    expect(fake.messages(CHANNEL, root.ts).map((m) => m.text)).toEqual([
      '<@U0BOT> ping',
      'you said: <@U0BOT> ping',
    ]);
  });

  it('answers 401 to a bad signature and 200 to a signed slash command', async () => {
    const requester = createSlackRequester(SECRET);
    const bad = await requester.event(
      eventsUrl,
      { type: 'app_mention', user: HUMAN, text: 'x', ts: '1.1', channel: CHANNEL },
      { badSignature: true },
    );
    expect(bad.status).toBe(401);
    const stale = await requester.event(
      eventsUrl,
      { type: 'app_mention', user: HUMAN, text: 'x', ts: '1.1', channel: CHANNEL },
      { timestamp: Math.floor(Date.now() / 1000) - 600 },
    );
    expect(stale.status).toBe(401);

    const acked = await requester.command(eventsUrl, {
      text: 'onboarding',
      user_id: HUMAN,
      channel_id: CHANNEL,
      response_url: fake.responseUrl('slash'),
    });
    expect(acked.status).toBe(200);
    const response = await fake.waitForResponse((r) => r.id === 'slash');
    expect(response.body).toMatchObject({ text: 'searching for onboarding' });
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('acks a message shortcut and refuses a form body with a charset suffix', async () => {
    const requester = createSlackRequester(SECRET);
    const shortcut = await requester.interaction(eventsUrl, {
      type: 'message_action',
      callback_id: 'summarise',
      trigger_id: '1.2',
      team: { id: 'T0TEAM' },
      user: { id: HUMAN },
      channel: { id: CHANNEL },
      message: { ts: '1.2', text: 'hi' },
      response_url: fake.responseUrl(),
    });
    expect(shortcut.status).toBe(200);

    const form = new URLSearchParams({ command: '/confluence', text: 'x', user_id: HUMAN });
    const charset = 'application/x-www-form-urlencoded; charset=utf-8';
    expect((await requester.raw(eventsUrl, form.toString(), charset)).status).toBe(400);
  });

  it('serves a file at url_private(_download) only with the bot token, and files.info', async () => {
    const bytes = Buffer.from('%PDF-1.4\n%%EOF\n');
    const file = fake.addFile({
      name: 'brief.pdf',
      mimetype: 'application/pdf',
      filetype: 'pdf',
      bytes,
      user: HUMAN,
    });
    expect(file).toMatchObject({ name: 'brief.pdf', size: bytes.length, mode: 'hosted' });
    for (const url of [file.url_private, file.url_private_download]) {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${fake.botToken}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    }
    // Without the token, or with another: Slack's redirect to its sign-in page (HTML), not the file.
    const tries: Array<Record<string, string>> = [
      {},
      { Authorization: 'Bearer xoxb-someone-else' },
    ];
    for (const headers of tries) {
      const res = await fetch(file.url_private, { headers, redirect: 'manual' });
      expect(res.status).toBe(302);
      const signin = await fetch(new URL(res.headers.get('location')!, fake.origin));
      expect(signin.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect(fake.fileDownloads.map((d) => d.status)).toEqual([200, 200, 302, 302]);

    const info = await client.files.info({ file: file.id });
    expect(info.file).toMatchObject({ id: file.id, url_private: file.url_private });
    await expect(client.files.info({ file: 'F0NOPE' })).rejects.toMatchObject({
      data: { error: 'file_not_found' },
    });
  });
});

describe('fake Slack link unfurling (link_shared, chat.unfurl) with the real WebClient', () => {
  const PAGE = 'https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Plan';
  const linkedMessage = () =>
    fake.addMessage({
      channel: CHANNEL,
      user: HUMAN,
      text: `see <${PAGE}> and <https://example.com/x>`,
    });
  const preview = { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Plan*' } }] };

  it("sends link_shared as Slack's docs show it: only links on the unfurl domains", () => {
    const message = linkedMessage();
    const event = fake.linkShared(message, ['atlassian.net']);
    expect(event).toMatchObject({
      type: 'link_shared',
      channel: CHANNEL,
      user: HUMAN,
      message_ts: message.ts,
      source: 'conversations_history',
      is_bot_user_member: true,
      links: [{ domain: 'acme.atlassian.net', url: PAGE }],
    });
    expect(event.unfurl_id).toMatch(new RegExp(`^${CHANNEL}\\.\\d+\\.[0-9a-f]{64}$`));
  });

  it('attaches previews by channel + ts or by unfurl_id + source', async () => {
    const message = linkedMessage();
    await client.chat.unfurl({ channel: CHANNEL, ts: message.ts, unfurls: { [PAGE]: preview } });
    expect(message.unfurls).toEqual({ [PAGE]: preview });

    const other = linkedMessage();
    const { unfurl_id } = fake.linkShared(other, ['atlassian.net']);
    await client.chat.unfurl({
      unfurl_id,
      source: 'conversations_history',
      unfurls: { [PAGE]: preview },
    });
    expect(other.unfurls).toEqual({ [PAGE]: preview });
    expect(fake.unfurlPrompts).toEqual([]);
  });

  it("shows a user_auth_required prompt to the message's poster only, and nothing public", async () => {
    const message = linkedMessage();
    await client.chat.unfurl({
      channel: CHANNEL,
      ts: message.ts,
      unfurls: {},
      user_auth_required: true,
      user_auth_url: 'https://connect.example.com/link/abc',
      user_auth_message: 'Connect to see previews.',
    });
    expect(fake.unfurlPrompts).toEqual([
      {
        channel: CHANNEL,
        message_ts: message.ts,
        user: HUMAN,
        user_auth_url: 'https://connect.example.com/link/abc',
        user_auth_message: 'Connect to see previews.',
      },
    ]);
    expect(message.unfurls).toEqual({});
  });

  it('refuses what Slack refuses: a mixed or missing target, a URL not in the message, bad unfurls', async () => {
    const message = linkedMessage();
    const refused = async (args: Record<string, unknown>) => {
      try {
        await client.apiCall('chat.unfurl', args);
      } catch (err) {
        return (err as { data?: { error?: string } }).data?.error;
      }
      return 'ok';
    };
    const unfurls = { [PAGE]: preview };
    expect(await refused({ unfurls })).toBe('invalid_arguments');
    expect(
      await refused({
        channel: CHANNEL,
        ts: message.ts,
        unfurl_id: 'x',
        source: 'composer',
        unfurls,
      }),
    ).toBe('invalid_arguments');
    expect(await refused({ unfurl_id: 'nope', source: 'conversations_history', unfurls })).toBe(
      'cannot_unfurl_message',
    );
    expect(await refused({ unfurl_id: 'nope', source: 'elsewhere', unfurls })).toBe(
      'invalid_arguments',
    );
    expect(await refused({ channel: 'nope', ts: message.ts, unfurls })).toBe('cannot_find_channel');
    expect(await refused({ channel: CHANNEL, ts: '1.000001', unfurls })).toBe(
      'cannot_unfurl_message',
    );
    expect(
      await refused({
        channel: CHANNEL,
        ts: message.ts,
        unfurls: { 'https://acme.atlassian.net/other': preview },
      }),
    ).toBe('cannot_unfurl_message');
    expect(await refused({ channel: CHANNEL, ts: message.ts })).toBe('invalid_arguments');
    expect(
      await refused({ channel: CHANNEL, ts: message.ts, unfurls: { [PAGE]: { blocks: 'x' } } }),
    ).toBe('invalid_blocks_format');
    expect(message.unfurls).toBeUndefined();
  });
});
