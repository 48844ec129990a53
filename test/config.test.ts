import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MODEL, loadConfig } from '../src/config.js';
import { DEFAULT_DURABLE_OPTIONS } from '../src/turns/durable/options.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'secret',
  ANTHROPIC_API_KEY: 'anthropic-key',
  COMPOSIO_API_KEY: 'composio-key',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config.http).toEqual({ port: 3000, host: '0.0.0.0' });
    expect(config.anthropic.model).toBe(DEFAULT_MODEL);
    expect(config.composio).toMatchObject({
      toolkits: ['confluence'],
      userIdMode: 'slack',
      telemetry: false,
    });
    expect(config.agent.maxTurns).toBe(10);
    expect(config.redisUrl).toBeUndefined();
    expect(config.slack.socketMode).toBe(false);
    expect(config.files).toEqual({ maxBytes: 10 * 1024 * 1024, maxCount: 5 });
  });

  // npm run bench's kill → resumed phase measures these defaults (p50 ≤ 10 s is the target).
  it("defaults the turn queue to DEFAULT_DURABLE_OPTIONS: a dead worker's turn resumed within 10 s", () => {
    const { turns } = loadConfig(valid);
    expect(turns).toEqual(DEFAULT_DURABLE_OPTIONS);
    // A lock lapses at most lockMs after the death; the check that moves the job comes within
    // one check period, and finds it marked when a check ran in the lock's last half.
    expect(turns.stalledCheckMs).toBeLessThanOrEqual(turns.lockMs / 2);
    expect(turns.lockMs + 2 * turns.stalledCheckMs).toBeLessThanOrEqual(10_000);
    expect(
      loadConfig({ ...valid, TURN_LOCK_MS: '1000', TURN_STALLED_CHECK_MS: '500' }).turns,
    ).toMatchObject({ lockMs: 1000, stalledCheckMs: 500 });
    expect(() => loadConfig({ ...valid, TURN_LOCK_MS: '999' })).toThrow(/TURN_LOCK_MS/);
  });

  it('reads the file limits, and refuses files over 20 MB each (the request limit)', () => {
    expect(loadConfig({ ...valid, FILES_MAX_MB: '2.5', FILES_MAX_COUNT: '0' }).files).toEqual({
      maxBytes: 2.5 * 1024 * 1024,
      maxCount: 0,
    });
    expect(() => loadConfig({ ...valid, FILES_MAX_MB: '50' })).toThrow(/FILES_MAX_MB/);
    expect(() => loadConfig({ ...valid, FILES_MAX_COUNT: '-1' })).toThrow(/FILES_MAX_COUNT/);
  });

  it('names every missing variable at once', () => {
    const err = (() => {
      try {
        loadConfig({});
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.problems).toEqual(
      expect.arrayContaining([
        'SLACK_BOT_TOKEN is required',
        'ANTHROPIC_API_KEY is required',
        'COMPOSIO_API_KEY is required',
        expect.stringMatching(/^SLACK_SIGNING_SECRET is required in HTTP mode/),
      ]),
    );
  });

  it('reports malformed values without echoing them', () => {
    const run = () =>
      loadConfig({
        ...valid,
        SLACK_BOT_TOKEN: 'xoxp-user-token-value',
        PORT: 'abc',
        REDIS_URL: 'http://x',
        AGENT_MAX_TURNS: '0',
      });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      const { problems, message } = e as ConfigError;
      expect(problems.map((p) => p.split(' ')[0])).toEqual(
        expect.arrayContaining(['SLACK_BOT_TOKEN', 'PORT', 'REDIS_URL', 'AGENT_MAX_TURNS']),
      );
      expect(message).not.toContain('xoxp-user-token-value');
    }
  });

  it('accepts Socket Mode without a signing secret and parses toolkit lists', () => {
    const { SLACK_SIGNING_SECRET: _unused, ...rest } = valid;
    const config = loadConfig({
      ...rest,
      SLACK_APP_TOKEN: 'xapp-1',
      COMPOSIO_TOOLKITS: 'Confluence, jira',
    });
    expect(config.slack.socketMode).toBe(true);
    expect(config.composio.toolkits).toEqual(['confluence', 'jira']);
  });

  it('reads the link preview domains (none by default: no previews) and the excerpt switch', () => {
    expect(loadConfig(valid).linkPreviews).toEqual({ domains: [], excerpts: true });
    const config = loadConfig({
      ...valid,
      CONFLUENCE_DOMAINS: ' Acme.Atlassian.net, wiki.example.com ',
      LINK_PREVIEW_EXCERPTS: 'off',
    });
    expect(config.linkPreviews).toEqual({
      domains: ['acme.atlassian.net', 'wiki.example.com'],
      excerpts: false,
    });
    expect(() =>
      loadConfig({ ...valid, CONFLUENCE_DOMAINS: 'https://acme.atlassian.net' }),
    ).toThrow(/CONFLUENCE_DOMAINS/);
    expect(() => loadConfig({ ...valid, LINK_PREVIEW_EXCERPTS: 'maybe' })).toThrow(
      /LINK_PREVIEW_EXCERPTS/,
    );
  });
});
