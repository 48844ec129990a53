/** The Anthropic model client against the local fake Messages API: how its failures are coded. */
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicModel, type ModelRequest } from '../../src/agent/model-client.js';
import { CodedError, userMessageFor } from '../../src/errors.js';
import {
  cited,
  type FakeAnthropic,
  startFakeAnthropic,
  text,
} from '../kit/fake-anthropic/index.js';

const request: ModelRequest = {
  system: [{ type: 'text', text: 'system' }],
  tools: [],
  messages: [{ role: 'user', content: 'hi' }],
  maxTokens: 256,
};

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await fake.close();
});

/** A client of the fake with one retry, so a persistent failure gives up quickly. */
const model = (baseURL = fake.url) =>
  createAnthropicModel({ apiKey: fake.apiKey, baseURL, model: 'claude-test', maxRetries: 1 });

/** What `respond` rejected with. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected the call to fail'),
    (err: unknown) => err,
  );

describe('createAnthropicModel', () => {
  it('streams text and returns the final message', async () => {
    fake.script({ content: [text('Hello there.')] });
    const deltas: string[] = [];
    const message = await model().respond(request, (d) => deltas.push(d));
    expect(message.content).toMatchObject([{ type: 'text', text: 'Hello there.' }]);
    expect(deltas.join('')).toBe('Hello there.');
  });

  it('hands over the citations of each cited text block once it ends, after its text', async () => {
    const page = {
      type: 'search_result' as const,
      source: 'https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Plan',
      title: 'Plan',
      content: [{ type: 'text' as const, text: 'We launch in May.' }],
      citations: { enabled: true },
    };
    fake.script({ content: [text('We launch '), cited('in May', 0), text('.')] });
    const seen: string[] = [];
    await model().respond(
      {
        ...request,
        messages: [{ role: 'user', content: [page, { type: 'text', text: 'when?' }] }],
      },
      (delta) => seen.push(delta),
      (citations) =>
        seen.push(
          `cites ${citations.map((c) => c.type === 'search_result_location' && c.source).join()}`,
        ),
    );
    expect(seen.join('')).toBe(`We launch in Maycites ${page.source}.`);
  });

  it('reports a 529 that outlasts the retries as model_unavailable, cause kept', async () => {
    const overloaded = { error: { status: 529, retryAfterMs: 10 } };
    fake.script(overloaded, overloaded);
    const err = await failure(model().respond(request));
    expect(err).toBeInstanceOf(CodedError);
    expect((err as CodedError).code).toBe('model_unavailable');
    expect((err as CodedError).cause).toBeInstanceOf(Error);
    expect(userMessageFor(err)).toMatch(/Claude is busy or unavailable/);
    expect(fake.requests).toHaveLength(2);
  });

  it('reports a stream that breaks mid-answer as model_unavailable', async () => {
    fake.script({ streamErrorAfter: 4, content: [text('Once upon a time, a page')] });
    const err = await failure(model().respond(request, () => {}));
    expect((err as CodedError).code).toBe('model_unavailable');
  });

  it('reports an unreachable API as model_unavailable', async () => {
    // A port that was free a moment ago: the connection is refused.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const err = await failure(model(`http://127.0.0.1:${port}`).respond(request));
    expect((err as CodedError).code).toBe('model_unavailable');
  });

  it('reports a request Anthropic rejects as malformed as internal, not as Claude being busy', async () => {
    fake.script({ error: { status: 400, type: 'invalid_request_error' } });
    const err = await failure(model().respond(request));
    expect((err as CodedError).code).toBe('internal');
    expect(userMessageFor(err)).not.toMatch(/Claude is busy/);
  });

  it("passes a throw from the caller's onText through as it is, not as a model failure", async () => {
    fake.script({ content: [text('Hello there, a few words.')] });
    const bug = new TypeError('progress handler bug');
    const err = await failure(
      model().respond(request, () => {
        throw bug;
      }),
    );
    expect(err).toBe(bug);
  });
});
