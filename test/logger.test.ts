/** The real logger never writes a credential: secret shapes, secret fields and configured values. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createBoltLogger } from '../src/slack/plumbing/bolt-logger.js';

const MARKER = '[redacted]';
// Credential-shaped but fake, and put together at run time so no credential-like literal is
// committed: the logger must recognise them by shape alone.
const SLACK_TOKEN = ['xoxb', '0000000000', 'test', 'notARealToken'].join('-');
const ANTHROPIC_KEY = ['sk', 'ant', 'test', 'notARealKey'].join('-');
const COMPOSIO_KEY = ['ak', 'testNotARealKey'].join('_');
const BEARER = ['test', 'not', 'a', 'real', 'bearer'].join('.');

/** A logger at trace level whose lines are kept as raw text, exactly as they would be written. */
function captured(secrets?: string[]) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'trace',
    ...(secrets ? { secrets } : {}),
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, output: () => lines.join('') };
}

/** Fails naming the first secret found in `output`. */
function expectNone(output: string, secrets: string[]) {
  for (const secret of secrets) expect(output, `leaked ${secret}`).not.toContain(secret);
}

describe('createLogger secret redaction', () => {
  it('redacts token, key and bearer shapes in an Error message and stack, however it is logged', () => {
    const { logger, output } = captured();
    const err = new Error(
      `upstream refused: slack=${SLACK_TOKEN} anthropic=${ANTHROPIC_KEY} composio=${COMPOSIO_KEY} Authorization: Bearer ${BEARER}`,
    );
    logger.error({ err }, 'call failed');
    logger.error(err);
    logger.warn(`retrying with ${SLACK_TOKEN} and Authorization: Bearer ${BEARER}`);
    logger.info('key %s then %s', ANTHROPIC_KEY, COMPOSIO_KEY);

    const text = output();
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(4);
    expectNone(text, [SLACK_TOKEN, ANTHROPIC_KEY, COMPOSIO_KEY, BEARER]);
    // The error is still readable: its message (and stack) keep everything but the secrets.
    const first = JSON.parse(lines[0]!) as { err: { message: string; stack: string }; msg: string };
    expect(first.msg).toBe('call failed');
    expect(first.err.message).toBe(
      `upstream refused: slack=${MARKER} anthropic=${MARKER} composio=${MARKER} Authorization: ${MARKER}`,
    );
    expect(first.err.stack).toContain(MARKER);
    expect(JSON.parse(lines[1]!).message).toContain(`slack=${MARKER}`);
    expect(JSON.parse(lines[2]!).msg).toBe(`retrying with ${MARKER} and Authorization: ${MARKER}`);
    expect(JSON.parse(lines[3]!).msg).toBe(`key ${MARKER} then ${MARKER}`);
  });

  it('censors secret-named fields whatever their value looks like, and secret shapes at any depth', () => {
    const { logger, output } = captured();
    // Values that match no secret pattern: only the field names give them away.
    const plain = {
      token: 'plain-token-value-1',
      apiKey: 'plain-api-key-value-2',
      authorization: 'Basic dXNlcjpwYXNzd29yZA',
      headers: 'Basic aGVhZGVyOnNlY3JldA',
      xApiKey: 'plain-x-api-key-value-3',
    };
    logger.info(
      {
        slack: { token: plain.token, channel: 'C1' },
        anthropic: { apiKey: plain.apiKey, model: 'claude' },
        upstream: { authorization: plain.authorization, 'x-api-key': plain.xApiKey },
        req: { headers: { authorization: plain.headers, accept: 'application/json' } },
      },
      'request sent',
    );
    logger.debug(
      {
        nested: { deeper: { list: [{ note: `token ${SLACK_TOKEN}` }, ANTHROPIC_KEY] } },
        config: { composio: COMPOSIO_KEY, auth: `Bearer ${BEARER}` },
      },
      'state',
    );

    const text = output();
    expectNone(text, [...Object.values(plain), SLACK_TOKEN, ANTHROPIC_KEY, COMPOSIO_KEY, BEARER]);
    const [fields, deep] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(fields).toMatchObject({
      slack: { token: MARKER, channel: 'C1' },
      anthropic: { apiKey: MARKER, model: 'claude' },
      upstream: { authorization: MARKER, 'x-api-key': MARKER },
      req: { headers: { authorization: MARKER, accept: 'application/json' } },
    });
    expect(deep).toMatchObject({
      nested: { deeper: { list: [{ note: `token ${MARKER}` }, MARKER] } },
      config: { composio: MARKER, auth: MARKER },
    });
  });

  it('redacts the exact configured secrets, which have no recognisable shape', () => {
    const signingSecret = 'f00dfacecafe8badf00d';
    const { logger, output } = captured([signingSecret, 'short']);
    const err = new Error(`signature check with ${signingSecret} failed`);
    logger.error({ err, detail: { seen: `secret=${signingSecret}` } }, `bad ${signingSecret}`);
    logger.info('a short note');

    const text = output();
    expectNone(text, [signingSecret]);
    const [line, note] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(line.msg).toBe(`bad ${MARKER}`);
    expect(line.detail.seen).toBe(`secret=${MARKER}`);
    expect(line.err).toMatchObject({ message: `signature check with ${MARKER} failed` });
    // Values under six characters are not treated as secrets (they would mangle ordinary words).
    expect(note.msg).toBe('a short note');
  });

  it('never writes a connect link, and keeps only the first letter and domain of an e-mail', () => {
    const { logger, output } = captured();
    const link = 'https://connect.composio.dev/link/lk_abc123DEF456';
    logger.info({ composioUserId: 'alice.example@example.com' }, `link ready: ${link}`);
    const text = output();
    expect(text).not.toContain('lk_abc123DEF456');
    expect(text).not.toContain('alice.example@');
    expect(text).toContain('a…@example.com');
  });

  it('never writes a response_url or a Socket Mode ticket', () => {
    const { logger, output } = captured();
    logger.info(`posting to https://hooks.slack.com/commands/T0/123/abcSECRETxyz now`);
    logger.debug({ url: 'wss://wss-primary.slack.com/link/?ticket=tkSECRET&app_id=A1' }, 'open');
    const text = output();
    expect(text).not.toContain('abcSECRETxyz');
    expect(text).not.toContain('tkSECRET');
    expect(text).toContain(MARKER);
  });

  it('scrubs secrets however deep they sit, and leaves out what is nested past the bound', () => {
    const { logger, output } = captured();
    let deep: Record<string, unknown> = { note: `token ${SLACK_TOKEN}` };
    for (let i = 0; i < 20; i += 1) deep = { inner: deep };
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    logger.info({ deep, cyclic }, 'nested');
    const text = output();
    expectNone(text, [SLACK_TOKEN]);
    const line = JSON.parse(text) as { cyclic: { self: string } };
    expect(text).toContain('[omitted: nested too deep]');
    expect(line.cyclic.self).toBe('[circular]');
  });

  it('drops the Slack client debug lines that carry whole request and response bodies', () => {
    const { logger, output } = captured();
    const bolt = createBoltLogger(logger);
    bolt.debug('http request url: https://slack.com/api/chat.postMessage');
    bolt.debug('http request body: {"text":"the secret launch plan"}');
    bolt.debug('http request result: {"messages":[{"text":"the whole thread"}]}');
    const text = output();
    expect(text).toContain('http request url');
    expect(text).not.toContain('secret launch plan');
    expect(text).not.toContain('the whole thread');
  });
});
