import type { ServedExchange } from '../test/kit/fake-served.js';
import type { FakeSlack, SlackCall } from '../test/kit/fake-slack/index.js';
import { ANSWER_MARK } from './model-script.js';

/** When a turn first showed itself in its thread, and when its answer was complete. */
export interface TurnTiming {
  /** `performance.now()` at the end of the first visible Slack call (status, stream, post). */
  firstVisibleMs: number;
  /** `performance.now()` at the end of the call that completed the answer. */
  doneMs: number;
  answer: string;
  /** The answer is the scripted one (not a failure notice). */
  ok: boolean;
}

interface Pending {
  firstVisibleMs?: number;
  resolve(timing: TurnTiming): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const VISIBLE = new Set([
  'chat.startStream',
  'chat.appendStream',
  'chat.stopStream',
  'chat.postMessage',
  'chat.update',
]);

/**
 * Follows the bot's Slack calls thread by thread (the fake Slack's served exchanges), so the
 * benchmark learns when each turn became visible and when its answer was done. A thread may
 * have one tracked turn at a time.
 */
export class TurnTracker {
  private readonly pending = new Map<string, Pending>();
  /** Streamed message → its thread, for calls that name only the message. */
  private readonly threadOfMessage = new Map<string, string>();
  private readonly unsubscribe: () => void;

  constructor(slack: FakeSlack) {
    this.unsubscribe = slack.onServed((e) => this.observe(e));
  }

  /** Resolves when the answer in `channel`/`threadTs` is done; rejects after `timeoutMs`. */
  expect(channel: string, threadTs: string, timeoutMs: number): Promise<TurnTiming> {
    const key = `${channel}:${threadTs}`;
    if (this.pending.has(key)) throw new Error(`a turn is already tracked in ${key}`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new Error(`no answer in thread ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(key, { resolve, reject, timer });
    });
  }

  close(): void {
    this.unsubscribe();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('tracker closed'));
    }
    this.pending.clear();
  }

  private observe(exchange: ServedExchange): void {
    const call = exchange.detail as SlackCall | undefined;
    if (!call?.result?.ok) return;
    const { args, method } = call;
    const thread = this.threadOf(call);
    if (!thread) return;
    if (method === 'chat.startStream')
      this.threadOfMessage.set(`${args.channel}:${call.result.ts}`, thread);
    const turn = this.pending.get(thread);
    if (!turn) return;
    const visible =
      VISIBLE.has(method) || (method === 'assistant.threads.setStatus' && args.status !== '');
    if (visible) turn.firstVisibleMs ??= exchange.endMs;
    const answer =
      method === 'chat.stopStream'
        ? String(call.result.message?.text ?? '')
        : method === 'chat.postMessage'
          ? String(args.text ?? '')
          : undefined;
    if (answer === undefined) return;
    if (method === 'chat.stopStream') this.threadOfMessage.delete(`${args.channel}:${args.ts}`);
    clearTimeout(turn.timer);
    this.pending.delete(thread);
    turn.resolve({
      firstVisibleMs: turn.firstVisibleMs ?? exchange.endMs,
      doneMs: exchange.endMs,
      answer,
      ok: answer.includes(ANSWER_MARK),
    });
  }

  private threadOf({ method, args }: SlackCall): string | undefined {
    if (method === 'assistant.threads.setStatus') return `${args.channel_id}:${args.thread_ts}`;
    if (method === 'chat.startStream' || method === 'chat.postMessage')
      return args.thread_ts ? `${args.channel}:${args.thread_ts}` : undefined;
    if (method === 'chat.appendStream' || method === 'chat.stopStream' || method === 'chat.update')
      return this.threadOfMessage.get(`${args.channel}:${args.ts}`);
    return undefined;
  }
}
