/**
 * The Slack SDKs' log lines that carry a payload (message text, `response_url`, a connect link
 * in a block, the WebSocket ticket), at whatever level they are written. Each rule keeps the
 * line's fixed prefix, so the flow stays readable at `debug`, and drops what follows it.
 * Read from the installed sources (the file each line is written in is named beside it).
 */
const cut = (m: RegExpMatchArray) => `${m[1]} [payload omitted]`;

const PAYLOAD_LINES: ReadonlyArray<{ line: RegExp; keep: (m: RegExpMatchArray) => string }> = [
  // @slack/web-api WebClient.js: whole request and response bodies of every API call.
  { line: /^(http (?:request body|request result|response body))/, keep: cut },
  // @slack/web-api chat-stream.js: the Markdown appended to a streamed answer.
  { line: /^(ChatStreamer appended to buffer)/, keep: cut },
  // @slack/socket-mode SocketModeClient.js: every envelope received, and every frame sent.
  {
    line: /^(Received a message on the WebSocket): ([\s\S]*)$/,
    keep: (m) => `${m[1]}${envelopeSummary(m[2]!)}`,
  },
  {
    line: /^(Sending a WebSocket message): ([\s\S]*)$/,
    keep: (m) => `${m[1]}${envelopeSummary(m[2]!)}`,
  },
  { line: /^(Unable to parse an incoming WebSocket message \(will ignore\))/, keep: cut },
  { line: /^(Calling ack\(\) - type: [^,]*, envelope_id: [^,]*)/, keep: cut },
  // @slack/bolt HTTPResponseAck.js and SocketModeResponseAck.js: the body a listener acked with.
  { line: /^(ack\(\) (?:call begins|response stored|response sent))/, keep: cut },
  // @slack/bolt HTTPModuleFunctions.js: an error, then the acked body.
  { line: /^(Error details: [\s\S]*?), storedResponse: /, keep: cut },
  // @slack/bolt App.js in developer mode logs each request body as JSON on its own.
  { line: /^[{[]/, keep: () => 'request body [payload omitted]' },
];

/** Only the type and id of a Socket Mode frame, which is all a reader of the logs needs. */
function envelopeSummary(raw: string): string {
  try {
    const frame = JSON.parse(raw) as { type?: unknown; envelope_id?: unknown };
    const type = typeof frame.type === 'string' ? ` type ${frame.type}` : '';
    const id = typeof frame.envelope_id === 'string' ? ` envelope ${frame.envelope_id}` : '';
    return `:${type}${id} [payload omitted]`;
  } catch {
    return ': [payload omitted]';
  }
}

/**
 * A Slack SDK log line with any payload it carries cut off (`[payload omitted]`); other lines
 * are returned as they are.
 */
export function withoutPayload(text: string): string {
  for (const { line, keep } of PAYLOAD_LINES) {
    const m = text.match(line);
    if (m) return keep(m);
  }
  return text;
}
