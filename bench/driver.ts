import { createSlackRequester } from '../test/kit/fake-slack/index.js';
import type { AppChild } from './app-child.js';
import type { TurnTracker } from './turn-tracker.js';
import { SIGNING_SECRET, type Upstreams } from './upstreams.js';

/** One mention: in a new thread, or in `threadTs`'s thread; with `dm`, a message in the bot's DM. */
export interface Mention {
  user: string;
  channel: string;
  threadTs?: string;
  /** A direct message (`message.im`, no mention) in `channel`, the user's DM with the bot. */
  dm?: boolean;
}

/** One turn as the benchmark saw it, in `performance.now()` milliseconds. */
export interface TurnSample {
  threadTs: string;
  sentMs: number;
  ackMs: number;
  ackStatus: number;
  firstVisibleMs: number;
  doneMs: number;
  ok: boolean;
}

/** A turn under way: its acknowledgement first, the whole turn later. */
export interface TurnInFlight {
  threadTs: string;
  acked: Promise<{ ackMs: number; status: number }>;
  done: Promise<TurnSample>;
}

/** Delivers one signed `app_mention` event to the app; resolves with its acknowledgement. */
export type EventSender = (
  event: Record<string, unknown>,
) => Promise<{ ackMs: number; status: number }>;

/** Sends mentions the way Slack does (the message in the fake Slack, then the signed event). */
export interface Driver {
  /** Starts a turn; `send` delivers its event (default: from this process). */
  start(mention: Mention, send?: EventSender): TurnInFlight;
  /** Runs one whole turn. */
  turn(mention: Mention): Promise<TurnSample>;
}

const TURN_TIMEOUT_MS = 60_000;

/** Delivers events, signed, to the Slack endpoint at `eventsUrl` (from this process). */
export function eventSender(eventsUrl: string): EventSender {
  const requester = createSlackRequester(SIGNING_SECRET);
  return async (event) => {
    const sentAt = performance.now();
    const res = await requester.event(eventsUrl, event);
    return { ackMs: performance.now() - sentAt, status: res.status };
  };
}

/** The driver of one app process; users get an active Confluence connection on first use. */
export function createDriver(up: Upstreams, app: AppChild, tracker: TurnTracker): Driver {
  const connected = new Set<string>();
  const sendHere = eventSender(app.eventsUrl);
  const start = (m: Mention, send = sendHere): TurnInFlight => {
    if (!connected.has(m.user)) {
      up.composio.connect(`slack-${up.slack.teamId}-${m.user}`);
      connected.add(m.user);
    }
    const message = up.slack.addMessage({
      channel: m.channel,
      user: m.user,
      text: m.dm
        ? 'list my Confluence spaces'
        : `<@${up.slack.botUserId}> list my Confluence spaces`,
      thread_ts: m.threadTs,
    });
    const threadTs = m.threadTs ?? message.ts;
    const answered = tracker.expect(m.channel, threadTs, TURN_TIMEOUT_MS);
    const sentMs = performance.now();
    // As Slack sends them: `app_mention` for a mention, `message` with channel_type `im` in a DM
    // (test/kit/slack-helpers.ts directMessage).
    const acked = send({
      ...(m.dm ? { type: 'message', channel_type: 'im' } : { type: 'app_mention' }),
      user: m.user,
      text: message.text,
      ts: message.ts,
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      channel: m.channel,
      team: up.slack.teamId,
    });
    const done = Promise.all([acked, answered]).then(([ack, timing]) => ({
      threadTs,
      sentMs,
      ackMs: ack.ackMs,
      ackStatus: ack.status,
      firstVisibleMs: timing.firstVisibleMs - sentMs,
      doneMs: timing.doneMs - sentMs,
      ok: timing.ok && ack.status === 200,
    }));
    // The caller may only await `acked` for a while; never leave `done` unobserved.
    done.catch(() => {});
    return { threadTs, acked, done };
  };
  return { start, turn: (m) => start(m).done };
}

/** Runs `jobs` with at most `limit` in flight; resolves with their results in order. */
export async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
