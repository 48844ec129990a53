/** One error family: every app error is a CodedError, and the user's message is chosen by code. */
import { describe, expect, it } from 'vitest';
import { ChatArgsError, parseChatArgs } from '../src/cli/chat-args.js';
import { ConnectLinkMissingError } from '../src/composio/composio-connections.js';
import { SessionExpiredError } from '../src/composio/mcp-tool-host.js';
import { ConfigError } from '../src/config.js';
import { CodedError, userMessageFor, withCode } from '../src/errors.js';

describe('CodedError subclasses', () => {
  const cause = new Error('underlying');
  const cases: Array<[CodedError, string, string]> = [
    [new ConfigError(['PORT must be a number']), 'config_invalid', 'ConfigError'],
    [new ChatArgsError('Unknown option --x', { cause }), 'chat_args_invalid', 'ChatArgsError'],
    [new SessionExpiredError({ cause }), 'session_expired', 'SessionExpiredError'],
    [new ConnectLinkMissingError('confluence'), 'connect_link_missing', 'ConnectLinkMissingError'],
  ];

  it.each(cases)('%s is a CodedError with its own code and name', (err, code, name) => {
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.name).toBe(name);
    expect(userMessageFor(err)).not.toBe(userMessageFor(new Error('x')));
  });

  it('keeps the cause', () => {
    expect(new SessionExpiredError({ cause }).cause).toBe(cause);
    const parsed = (() => {
      try {
        parseChatArgs(['--nope'], 'me');
      } catch (err) {
        return err;
      }
    })();
    expect(parsed).toBeInstanceOf(ChatArgsError);
    expect((parsed as ChatArgsError).cause).toBeInstanceOf(Error);
  });

  it('keeps the subclass through withCode, whose code is for failures without one', async () => {
    const missing = new ConnectLinkMissingError('confluence');
    await expect(
      withCode('tools_unavailable', 'connect failed', () => Promise.reject(missing)),
    ).rejects.toBe(missing);
    const wrapped = await withCode('tools_unavailable', 'connect failed', () =>
      Promise.reject(new Error('socket hang up')),
    ).catch((err: unknown) => err as CodedError);
    expect(wrapped.code).toBe('tools_unavailable');
    expect(wrapped.message).toBe('connect failed: socket hang up');
  });
});

describe('userMessageFor', () => {
  it("keeps today's messages for today's codes", () => {
    const messageOf = (code: ConstructorParameters<typeof CodedError>[0]) =>
      userMessageFor(new CodedError(code, 'test'));
    expect(messageOf('store_unavailable')).toBe(
      "I can't reach my conversation store right now, so I didn't act on this. Please try again in a minute.",
    );
    expect(messageOf('tools_unavailable')).toBe(
      "I couldn't reach Confluence through Composio just now, so nothing was changed. Please try again in a minute.",
    );
    expect(messageOf('model_unavailable')).toBe(
      'Claude is busy or unavailable right now, even after a few retries. Please try again in a minute.',
    );
    expect(messageOf('slack_failed')).toBe(
      'I had trouble reaching Slack just now, so I did not go on with this. Please try again in a minute.',
    );
    expect(messageOf('shutting_down')).toBe(
      "I'm restarting right now, so I didn't start on this. Please send it again in a minute.",
    );
    expect(messageOf('identity_email_unavailable')).toMatch(/users:read\.email scope/);
  });

  it('gives a bug of ours (internal) and an uncoded error the same generic message', () => {
    const generic =
      'Something went wrong on my side and I could not finish this request. Please try again.';
    expect(userMessageFor(new TypeError('x is not a function'))).toBe(generic);
    expect(userMessageFor(new CodedError('internal', 'agent turn failed'))).toBe(generic);
    expect(userMessageFor('a thrown string')).toBe(generic);
  });

  it('never shows the raw error', () => {
    const secret = 'the-raw-cause-text';
    const err = new CodedError('model_unavailable', `failed with ${secret}`);
    expect(userMessageFor(err)).not.toContain(secret);
  });
});
