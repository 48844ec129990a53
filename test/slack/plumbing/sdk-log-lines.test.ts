/** The Slack SDKs' payload-bearing log lines, as their sources write them, keep only their prefix. */
import { describe, expect, it } from 'vitest';
import { withoutPayload } from '../../../src/slack/plumbing/sdk-log-lines.js';

const BODY = 'the secret launch plan';
const envelope = JSON.stringify({
  envelope_id: 'e1',
  type: 'slash_commands',
  payload: { text: BODY, response_url: 'http://127.0.0.1:1/response/x' },
});

describe('withoutPayload', () => {
  it.each([
    [`http request body: {"text":"${BODY}"}`, 'http request body [payload omitted]'],
    [`http request result: {"text":"${BODY}"}`, 'http request result [payload omitted]'],
    [
      `ChatStreamer appended to buffer: {"markdown_text":"${BODY}"}`,
      'ChatStreamer appended to buffer [payload omitted]',
    ],
    [
      `Received a message on the WebSocket: ${envelope}`,
      'Received a message on the WebSocket: type slash_commands envelope e1 [payload omitted]',
    ],
    [
      `Sending a WebSocket message: {"envelope_id":"e1","payload":{"text":"${BODY}"}}`,
      'Sending a WebSocket message: envelope e1 [payload omitted]',
    ],
    [
      `Unable to parse an incoming WebSocket message (will ignore): SyntaxError, ${BODY}`,
      'Unable to parse an incoming WebSocket message (will ignore) [payload omitted]',
    ],
    [
      `Calling ack() - type: slash_commands, envelope_id: e1, data: {"text":"${BODY}"}`,
      'Calling ack() - type: slash_commands, envelope_id: e1 [payload omitted]',
    ],
    [`ack() response sent (body: {"text":"${BODY}"})`, 'ack() response sent [payload omitted]'],
    [
      `Error details: Error: boom, storedResponse: {"text":"${BODY}"}`,
      'Error details: Error: boom [payload omitted]',
    ],
    [`{"event":{"text":"${BODY}"}}`, 'request body [payload omitted]'],
  ])('%s', (line, expected) => {
    expect(withoutPayload(line)).toBe(expected);
  });

  it('leaves lines without a payload as they are', () => {
    const line = 'http request url: https://slack.com/api/chat.postMessage';
    expect(withoutPayload(line)).toBe(line);
    expect(withoutPayload('Going to retrieve a new WSS URL ...')).toBe(
      'Going to retrieve a new WSS URL ...',
    );
  });
});
