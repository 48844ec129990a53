import { performance } from 'node:perf_hooks';
/** Shared steps for the Slack surface end-to-end tests: payloads built the way Slack sends them. */
import { SUMMARISE_SHORTCUT } from '../../src/slack/blocks/summarise-modal.js';
import type { SlackCall } from './fake-slack/index.js';
import type { Harness } from './harness.js';

// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are free-form JSON.
type Json = Record<string, any>;

/** What the interaction helpers use of a harness: also met by a durable world and one app process. */
export type SlackSide = Pick<Harness, 'slack' | 'requester' | 'eventsUrl'>;

/** Posts a direct message into the fake and sends its `message.im` event; `extra` overrides fields. */
export async function directMessage(
  h: Harness,
  options: { user: string; channel: string; text: string; threadTs?: string; extra?: Json },
): Promise<{ eventId: string; ts: string; threadTs: string }> {
  const message = h.slack.addMessage({
    channel: options.channel,
    user: options.user,
    text: options.text,
    thread_ts: options.threadTs,
  });
  const sent = await h.requester.event(h.eventsUrl, {
    type: 'message',
    channel_type: 'im',
    channel: options.channel,
    user: options.user,
    text: message.text,
    ts: message.ts,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    ...options.extra,
  });
  if (sent.status !== 200) throw new Error(`event refused: HTTP ${sent.status}`);
  return { eventId: sent.eventId, ts: message.ts, threadTs: options.threadTs ?? message.ts };
}

/** Sends an app_mention for a message already in the fake. */
export async function mentionEvent(
  h: Harness,
  message: { user: string; channel: string; text?: string; ts: string; thread_ts?: string },
): Promise<string> {
  const sent = await h.requester.event(h.eventsUrl, {
    type: 'app_mention',
    user: message.user,
    text: message.text,
    ts: message.ts,
    ...(message.thread_ts && message.thread_ts !== message.ts
      ? { thread_ts: message.thread_ts }
      : {}),
    channel: message.channel,
    team: h.slack.teamId,
  });
  if (sent.status !== 200) throw new Error(`event refused: HTTP ${sent.status}`);
  return sent.eventId;
}

/**
 * Posts `text` as `user` in `channel` and sends the `link_shared` event Slack would send for
 * its links on `domains` (the manifest's unfurl_domains; the app's CONFLUENCE_DOMAINS unless
 * told); `resend` delivers it again with its event id, as Slack's retries do.
 */
export async function shareLinks(
  h: Harness,
  options: {
    user: string;
    channel: string;
    text: string;
    domains?: readonly string[];
    botIsMember?: boolean;
  },
): Promise<{ eventId: string; ts: string; event: Json; resend(retryNum: number): Promise<void> }> {
  const message = h.slack.addMessage({
    channel: options.channel,
    user: options.user,
    text: options.text,
  });
  const event = h.slack.linkShared(
    message,
    options.domains ?? h.config.linkPreviews.domains,
    options.botIsMember,
  );
  const sent = await h.requester.event(h.eventsUrl, event);
  if (sent.status !== 200) throw new Error(`event refused: HTTP ${sent.status}`);
  return {
    eventId: sent.eventId,
    ts: message.ts,
    event,
    async resend(retryNum) {
      const again = await h.requester.event(h.eventsUrl, event, {
        eventId: sent.eventId,
        retryNum,
        retryReason: 'http_timeout',
      });
      if (again.status !== 200) throw new Error(`retry refused: HTTP ${again.status}`);
    },
  };
}

let triggers = 0;
/** A fresh trigger id, as Slack issues one per interaction. */
const triggerId = (kind: string) => {
  triggers += 1;
  return `${Date.now()}.${triggers}.${kind}`;
};

/** The user block every interaction payload carries. */
const userOf = (h: SlackSide, user: string) => ({
  id: user,
  username: user.toLowerCase(),
  name: user.toLowerCase(),
  team_id: h.slack.teamId,
});

/** A `message_action` (message shortcut) payload for a message in the fake. */
export function messageShortcut(
  h: SlackSide,
  options: { user: string; callbackId: string; message: Json; channel: string },
): Json {
  return {
    type: 'message_action',
    token: 'fake-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team: { id: h.slack.teamId, domain: 'fake-workspace' },
    user: userOf(h, options.user),
    channel: { id: options.channel, name: 'general' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callbackId,
    trigger_id: triggerId('shortcut'),
    response_url: h.slack.responseUrl(),
    message_ts: options.message.ts,
    message: { type: 'message', ...options.message },
  };
}

/**
 * Runs the "Summarise to Confluence" message shortcut on `message` as `user`; resolves with the
 * views.update that filled the modal it opened (its `result.view` is the modal as stored).
 */
export async function runSummariseShortcut(
  h: SlackSide,
  options: { user: string; channel: string; message: Json },
): Promise<SlackCall> {
  const payload = messageShortcut(h, { ...options, callbackId: SUMMARISE_SHORTCUT });
  const res = await h.requester.interaction(h.eventsUrl, payload);
  if (res.status !== 200) throw new Error(`shortcut refused: HTTP ${res.status}`);
  const opened = await h.slack.waitFor(
    'views.open',
    (c) => c.args.trigger_id === payload.trigger_id,
  );
  const viewId = opened.result!.view.id;
  return h.slack.waitFor('views.update', (c) => c.args.view_id === viewId);
}

/** A `view_submission` payload for a modal the app opened in the fake, with the user's input. */
export function viewSubmission(
  h: SlackSide,
  options: { user: string; view: Json; values: Json },
): Json {
  const { view } = options;
  return {
    type: 'view_submission',
    token: 'fake-verification-token',
    team: { id: h.slack.teamId, domain: 'fake-workspace' },
    user: userOf(h, options.user),
    api_app_id: 'A0FAKEAPP',
    trigger_id: triggerId('submit'),
    view: {
      id: view.id,
      team_id: h.slack.teamId,
      type: 'modal',
      blocks: view.blocks,
      private_metadata: view.private_metadata,
      callback_id: view.callback_id,
      state: { values: options.values },
      hash: view.hash,
      title: view.title,
      close: view.close ?? null,
      submit: view.submit ?? null,
      root_view_id: view.root_view_id,
      previous_view_id: null,
      app_id: 'A0FAKEAPP',
      bot_id: h.slack.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A `block_actions` click on a button of an ephemeral message (answered through its response_url). */
export function ephemeralButtonClick(
  h: Harness,
  options: { user: string; channel: string; actionId: string; value: string; responseUrl: string },
): Json {
  return {
    type: 'block_actions',
    token: 'fake-verification-token',
    api_app_id: 'A0FAKEAPP',
    team: { id: h.slack.teamId, domain: 'fake-workspace' },
    user: userOf(h, options.user),
    container: {
      type: 'message',
      message_ts: '0000000000.000000',
      channel_id: options.channel,
      is_ephemeral: true,
    },
    trigger_id: triggerId('click'),
    channel: { id: options.channel, name: 'general' },
    state: { values: {} },
    response_url: options.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: options.actionId,
        block_id: 'b',
        value: options.value,
        text: { type: 'plain_text', text: options.actionId },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/** An `app_home_opened` event for one tab. */
export function homeOpened(h: Harness, user: string, tab: 'home' | 'messages', channel: string) {
  return h.requester.event(h.eventsUrl, {
    type: 'app_home_opened',
    user,
    channel,
    tab,
    event_ts: `${Date.now() / 1000}`,
  });
}

/**
 * Opens `user`'s Home tab (app_home_opened in `channel`, their DM): resolves with the HTTP answer
 * to the event, and `view`, which resolves with the next view published for them.
 */
export async function openHome(h: Harness, user: string, channel = `D${user.slice(1)}`) {
  const published = h.slack.callsTo('views.publish').length;
  const res = await homeOpened(h, user, 'home', channel);
  const view = h.slack
    .waitFor(
      'views.publish',
      (c) => c.args.user_id === user && h.slack.callsTo('views.publish').indexOf(c) >= published,
    )
    .then((c) => {
      if (!c.result?.ok) throw new Error(`views.publish failed: ${JSON.stringify(c.result)}`);
      return c.args.view;
    });
  view.catch(() => {}); // a test that only looks at `res` need not await it
  return { res, view };
}

/**
 * Makes Composio slow (REST and MCP) until the first exchange started from now on has finished,
 * then fast again; counts those finished exchanges. `stop` removes the counter.
 */
export function slowComposioOnce(h: Harness, slowMs: number) {
  const since = performance.now();
  let finished = 0;
  const stop = h.composio.onServed((exchange) => {
    if (exchange.startMs < since) return;
    finished += 1;
    h.composio.setLatency({ rest: 0, mcp: 0 });
  });
  h.composio.setLatency({ rest: slowMs, mcp: slowMs });
  return { finished: () => finished, stop };
}
