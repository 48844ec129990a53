/** Shared steps for the fault suite: stored history, secret scans, unhandled rejections. */
import { request } from 'node:http';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { signSlackRequest } from '../kit/fake-slack/index.js';
import type { Harness } from '../kit/harness.js';

// biome-ignore lint/suspicious/noExplicitAny: stored messages are free-form JSON.
type Json = any;

/** The stored history of one thread (`<prefix>:thread:<team>:<channel>:<ts>`), parsed. */
export async function storedHistory(
  redis: Redis,
  prefix: string,
  thread: { teamId: string; channel: string; threadTs: string },
): Promise<Json[]> {
  const raw = await redis.get(
    `${prefix}:thread:${thread.teamId}:${thread.channel}:${thread.threadTs}`,
  );
  return raw ? (JSON.parse(raw) as Json[]) : [];
}

/** The text of a stored message: its string content, or its text blocks joined by `separator`. */
function textOf(m: Json, separator: string): string {
  if (typeof m.content === 'string') return m.content;
  return (m.content as Json[])
    .filter((b) => b.type === 'text')
    .map((b) => b.text as string)
    .join(separator);
}

/** The typed user messages of a history (not tool results), in order, as plain strings. */
export function typedRequests(history: readonly Json[]): string[] {
  return history
    .filter((m) => m.role === 'user')
    .map((m) => textOf(m, '\n'))
    .filter(Boolean);
}

/** The final text of each assistant answer in a history, in order. */
export function answersIn(history: readonly Json[]): string[] {
  return history
    .filter((m) => m.role === 'assistant')
    .map((m) => textOf(m, ''))
    .filter(Boolean);
}

/** Every configured secret of a harness run (tokens, keys, signing secret). */
export function secretsOf(h: Harness): string[] {
  return [
    h.config.slack.botToken,
    h.signingSecret,
    h.config.anthropic.apiKey,
    h.config.composio.apiKey,
  ];
}

/** Fails if any captured log line holds one of `secrets` (or a Slack token shape). */
export function expectNoSecrets(lines: readonly unknown[], secrets: readonly string[]): void {
  const all = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
  expect(all.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(all).not.toContain(secret);
  expect(all).not.toMatch(/xox[abposr]-[A-Za-z0-9-]{6,}/);
}

/** Records unhandled rejections and uncaught exceptions of this process until `stop()`. */
export function captureProcessFaults() {
  const faults: unknown[] = [];
  const record = (reason: unknown) => void faults.push(reason);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    faults,
    stop() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}

/** Log lines at error level or above (pino: 50+). */
export const errorLines = (logs: ReadonlyArray<Record<string, unknown>>) =>
  logs.filter((l) => Number(l.level) >= 50);

/** A human message in the fake Slack that mentions the bot, and its `app_mention` event. */
export function mentionMessage(
  h: Harness,
  options: { user: string; channel: string; text: string; threadTs?: string },
) {
  const message = h.slack.addMessage({
    channel: options.channel,
    user: options.user,
    text: `<@${h.slack.botUserId}> ${options.text}`,
    thread_ts: options.threadTs,
  });
  const event = {
    type: 'app_mention',
    user: options.user,
    text: message.text,
    ts: message.ts,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    channel: options.channel,
  };
  return { message, event, threadTs: options.threadTs ?? message.ts };
}

/** The last `tag-…` word in the newest user message of a model request (what is being asked). */
export function askedTag(body: Json, tag = 'msg'): string {
  const last = JSON.stringify(body.messages.at(-1));
  return [...last.matchAll(new RegExp(`${tag}-([\\w-]+)`, 'g'))].at(-1)?.[1] ?? '?';
}

/** A signed POST on a connection of its own (no keep-alive reuse), for malformed bodies. */
export function signedPost(
  url: string,
  secret: string,
  body: string,
  contentType: string,
): Promise<{ status: number; body: string }> {
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': signSlackRequest(secret, timestamp, body),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The Composio user whose Tool Router session ran the tool call that mentions `title`. */
export function creatorOf(h: Harness, title: string): string | undefined {
  const call = h.composio.mcpCalls.find(
    (c) => c.method === 'tools/call' && JSON.stringify(c.args).includes(title),
  );
  return h.composio.sessions().find((s) => s.id === call?.sessionId)?.userId;
}

/** Titles of the pages in a Composio user's (fake) Confluence site. */
export const titlesOf = (h: Harness, composioUser: string) =>
  h.composio.confluence.site(composioUser).pages.map((p) => p.title);
