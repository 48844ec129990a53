import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cited,
  type FakeAnthropic,
  startFakeAnthropic,
  text,
  toolUse,
} from './fake-anthropic/index.js';
import { TINY_PNG } from './files.js';

const MODEL = 'claude-sonnet-5-5';
const ask = (content: string) => ({
  model: MODEL,
  max_tokens: 256,
  messages: [{ role: 'user' as const, content }],
});

let fake: FakeAnthropic;
let client: Anthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
  client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url });
});
afterEach(async () => {
  await fake.close();
});

describe('fake Anthropic Messages API', () => {
  it('answers a non-streaming create with a complete message', async () => {
    fake.script({ content: [text('Hello from the fake.')] });

    const message = await client.messages.create(ask('hi'));

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: 'Hello from the fake.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message._request_id).toMatch(/^req_/);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message.usage.cache_read_input_tokens).toBe(0);
    const [request] = fake.requests;
    expect(request?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(request?.headers['anthropic-version']).toBeTruthy();
    expect(request?.body).toMatchObject({
      model: MODEL,
      max_tokens: 256,
      messages: [{ content: 'hi' }],
    });
  });

  it('streams text deltas and a tool_use whose input the SDK reassembles', async () => {
    const input = { query: 'roadmap "Q3"', limit: 5, filters: { space: ['ENG', 'OPS'] } };
    fake.script({
      content: [text('Let me search Confluence for that.'), toolUse('search_pages', input)],
    });

    const stream = client.messages.stream(ask('find the roadmap'));
    const deltas: string[] = [];
    const jsonChunks: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    stream.on('inputJson', (partial) => jsonChunks.push(partial));
    const message = await stream.finalMessage();

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Let me search Confluence for that.');
    expect(jsonChunks.length).toBeGreaterThan(1);
    expect(message.stop_reason).toBe('tool_use');
    const block = message.content[1];
    expect(block?.type).toBe('tool_use');
    if (block?.type !== 'tool_use') return;
    expect(block.name).toBe('search_pages');
    expect(block.id).toMatch(/^toolu_/);
    expect(block.input).toEqual(input);
    expect(message.usage.output_tokens).toBeGreaterThan(1);
    expect(fake.requests[0]?.body.stream).toBe(true);
  });

  it('accepts x-api-key as well as Authorization: Bearer', async () => {
    fake.script({ content: [text('ok')] });
    const legacy = new Anthropic({
      apiKey: fake.apiKey,
      baseURL: fake.url,
      defaultHeaders: { 'x-api-key': fake.apiKey, Authorization: null },
    });

    await expect(legacy.messages.create(ask('hi'))).resolves.toMatchObject({ type: 'message' });
    expect(fake.requests[0]?.headers['x-api-key']).toBe(fake.apiKey);
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('rejects a wrong key with an authentication_error', async () => {
    const intruder = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.url });

    const error = await intruder.messages.create(ask('hi')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error).toMatchObject({ status: 401, type: 'authentication_error' });
    expect((error as APIError).requestID).toMatch(/^req_/);
    expect(fake.requests).toHaveLength(1);
  });

  it('lets the SDK retry a 429 that carries retry-after-ms', async () => {
    fake.script(
      { error: { status: 429, type: 'rate_limit_error', retryAfterMs: 20 } },
      { content: [text('after the wait')] },
    );

    const message = await client.messages.create(ask('hi'));

    expect(message.content).toEqual([{ type: 'text', text: 'after the wait', citations: null }]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.headers['x-stainless-retry-count']).toBe('1');
  });

  it('throws OverloadedError on a 529 when retries are exhausted', async () => {
    fake.script({ error: { status: 529 } }, { content: [text('never sent')] });
    const noRetry = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });

    const error = await noRetry.messages.create(ask('hi')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.OverloadedError);
    expect(error).toMatchObject({ status: 529, type: 'overloaded_error' });
    expect(fake.requests).toHaveLength(1);
  });

  it('fails a stream that breaks with an error event, without a retry', async () => {
    fake.script({ streamErrorAfter: 4, content: [text('a partial answer that never ends')] });

    const stream = client.messages.stream(ask('hi'));
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const error = await stream.finalMessage().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ type: 'overloaded_error' });
    expect(deltas).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a cache write, then a cache read for the same prefix', async () => {
    fake.respondWith(() => ({ content: [text('ok')] }));
    const tools = [
      { name: 'get_page', description: 'Read a page', input_schema: { type: 'object' as const } },
      {
        name: 'search_pages',
        description: 'Search pages',
        input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } },
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const system = [
      {
        type: 'text' as const,
        text: 'You help with Confluence.',
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const turn = (content: string) => ({ ...ask(content), tools, system });

    const first = await client.messages.create(turn('first question'));
    const second = await client.messages.create(turn('a different, longer second question'));

    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(second.usage.input_tokens).toBeGreaterThan(first.usage.input_tokens);

    const changed = [{ ...system[0]!, text: 'You help with Jira.' }];
    const third = await client.messages.create({ ...turn('first question'), system: changed });
    expect(third.usage.cache_read_input_tokens).toBeGreaterThan(0); // the tools breakpoint still hits
    expect(third.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('fails clearly, without retries, when the script runs out', async () => {
    const error = await client.messages.create(ask('hi')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(String((error as Error).message)).toMatch(/script ran out/);
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a tool_use left without its tool_result, as the API does', async () => {
    fake.script({ content: [text('unused')] });
    const messages = [
      { role: 'user' as const, content: 'look it up' },
      {
        role: 'assistant' as const,
        content: [{ type: 'tool_use' as const, id: 'toolu_1', name: 'search', input: {} }],
      },
      { role: 'user' as const, content: 'and?' },
    ];

    const error = await client.messages
      .create({ model: MODEL, max_tokens: 64, messages })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((error as Error).message)).toMatch(/toolu_1/);
  });

  it('rejects a tool name outside ^[a-zA-Z0-9_-]{1,64}$', async () => {
    const tools = [{ name: 'confluence.search', input_schema: { type: 'object' as const } }];

    const error = await client.messages.create({ ...ask('hi'), tools }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('speaks the API error format on raw HTTP: missing key, missing version, big body', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${fake.url}/v1/messages`, { method: 'POST', headers, body });
    const json = JSON.stringify(ask('hi'));

    const noKey = await post({ 'anthropic-version': '2023-06-01' }, json);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
    const noVersion = await post({ 'x-api-key': fake.apiKey }, json);
    expect(noVersion.status).toBe(400);
    expect(noVersion.headers.get('request-id')).toMatch(/^req_/);
    const huge = await post({ 'x-api-key': fake.apiKey }, 'x'.repeat(33 * 1024 * 1024));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { type: 'request_too_large' } });
  });

  it('passes each request and its index to the responder, and waits for requests', async () => {
    const seen: number[] = [];
    fake.respondWith((request, index) => {
      seen.push(index);
      return { content: [text(`echo: ${request.body.messages[0].content}`)], delayMs: 10 };
    });

    const pending = client.messages.create(ask('ping'));
    await fake.waitForRequests(1);
    await expect(pending).resolves.toMatchObject({ content: [{ text: 'echo: ping' }] });
    expect(seen).toEqual([0]);
    await expect(fake.waitForRequests(2, 50)).rejects.toThrow(/waited 50 ms/);
  });

  it('takes base64 PDF, plain-text and image blocks, and refuses what the API refuses', async () => {
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
    const png = TINY_PNG.toString('base64');
    const withBlock = (block: Anthropic.ContentBlockParam) => ({
      model: MODEL,
      max_tokens: 64,
      messages: [
        { role: 'user' as const, content: [block, { type: 'text' as const, text: 'read it' }] },
      ],
    });
    fake.respondWith(() => ({ content: [text('read')] }));
    const fine: Anthropic.ContentBlockParam[] = [
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'a,b\n1,2' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
    ];
    for (const block of fine)
      await expect(client.messages.create(withBlock(block))).resolves.toBeTruthy();

    const refused = async (block: unknown) => {
      const error = await client.messages
        .create(withBlock(block as Anthropic.ContentBlockParam))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      return String((error as Error).message);
    };
    // An image whose bytes are not its declared type, a type the API does not take, bad base64.
    expect(
      await refused({
        type: 'image',
        source: { type: 'base64', media_type: 'image/jpeg', data: png },
      }),
    ).toMatch(/image\/jpeg media type, but the image appears to be a image\/png/);
    expect(
      await refused({
        type: 'image',
        source: { type: 'base64', media_type: 'image/bmp', data: png },
      }),
    ).toMatch(/media_type/);
    expect(
      await refused({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: 'n*t' },
      }),
    ).toMatch(/base64/);
    // A "PDF" that is not one, and a text document with the wrong media type.
    expect(
      await refused({
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: png },
      }),
    ).toMatch(/PDF specified was not valid/);
    expect(
      await refused({
        type: 'document',
        source: { type: 'text', media_type: 'text/csv', data: 'a' },
      }),
    ).toMatch(/text\/plain/);
  });
});

describe('fake Anthropic: search results and citations', () => {
  const page = (title: string, texts: string[], citations = true) => ({
    type: 'search_result' as const,
    source: `https://site.test/wiki/spaces/MKT/pages/1/${title}`,
    title,
    content: texts.map((t) => ({ type: 'text' as const, text: t })),
    citations: { enabled: citations },
  });
  const withResults = (...results: Array<Record<string, unknown>>) => ({
    model: MODEL,
    max_tokens: 256,
    messages: [
      { role: 'user' as const, content: 'when is the launch?' },
      {
        role: 'assistant' as const,
        content: [{ type: 'tool_use' as const, id: 'toolu_s', name: 'search', input: {} }],
      },
      {
        role: 'user' as const,
        content: [
          // biome-ignore lint/suspicious/noExplicitAny: malformed blocks on purpose.
          { type: 'tool_result' as const, tool_use_id: 'toolu_s', content: results as any },
        ],
      },
    ],
  });

  it('streams a cited answer as citations_delta events the SDK gathers on its text block', async () => {
    fake.script({
      content: [
        text('The launch is '),
        cited('in May', { search_result_index: 1, start_block_index: 1, end_block_index: 3 }),
        text('.'),
      ],
    });
    fake.script({ content: [cited('Intro.', 0)] });
    const body = withResults(page('Plan', ['Plan intro']), page('Launch', ['a', 'b', 'c']));

    const stream = client.messages.stream(body);
    const seen: unknown[] = [];
    stream.on('citation', (citation) => seen.push(citation));
    const message = await stream.finalMessage();

    const expected = {
      type: 'search_result_location',
      source: 'https://site.test/wiki/spaces/MKT/pages/1/Launch',
      title: 'Launch',
      cited_text: 'bc',
      search_result_index: 1,
      start_block_index: 1,
      end_block_index: 3,
    };
    expect(seen).toEqual([expected]);
    expect(message.content).toEqual([
      { type: 'text', text: 'The launch is ', citations: null },
      { type: 'text', text: 'in May', citations: [expected] },
      { type: 'text', text: '.', citations: null },
    ]);
    // Not streamed: the same citation, whole, on the block.
    const whole = await client.messages.create(body);
    expect(whole.content[0]).toMatchObject({ citations: [{ cited_text: 'Plan intro' }] });
  });

  it('rejects search results without a title, with bad content, or with mixed citations', async () => {
    const { title: _t, ...untitled } = page('Plan', ['x']);
    const empty = page('Plan', ['']);
    for (const results of [[untitled], [empty], [page('A', ['x']), page('B', ['y'], false)]]) {
      const error = await client.messages.create(withResults(...results)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    }
    expect(String(await client.messages.create(withResults(untitled)).catch((e) => e))).toMatch(
      /search_result\.title: Field required/,
    );
  });

  it('fails clearly when the script cites a search result the request does not have', async () => {
    fake.script({ content: [cited('Made up.', 2)] });
    const error = await client.messages
      .create(withResults(page('Plan', ['x'])))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(String((error as Error).message)).toMatch(/cites search result 2/);
  });
});
