import { createHmac, randomBytes } from 'node:crypto';

// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are free-form JSON.
type Json = Record<string, any>;

/** The outcome of one request to the app. */
export interface AppResponse {
  status: number;
  body: string;
}

/** Sends requests to a Slack app the way Slack does: signed, with Slack's envelopes and content types. */
export interface SlackRequester {
  event(
    appUrl: string,
    event: Json,
    opts?: {
      retryNum?: number;
      retryReason?: string;
      eventId?: string;
      teamId?: string;
      badSignature?: boolean;
      timestamp?: number;
    },
  ): Promise<AppResponse & { eventId: string }>;
  command(
    appUrl: string,
    fields: {
      command?: string;
      text: string;
      user_id: string;
      channel_id: string;
      team_id?: string;
      response_url?: string;
      trigger_id?: string;
      user_name?: string;
    },
  ): Promise<AppResponse>;
  interaction(appUrl: string, payload: Json): Promise<AppResponse>;
  raw(
    appUrl: string,
    body: string,
    contentType: string,
    opts?: { badSignature?: boolean; timestamp?: number; headers?: Record<string, string> },
  ): Promise<AppResponse>;
}

/** Defaults the requester puts in envelopes (the fake's identity unless told otherwise). */
export interface RequesterDefaults {
  teamId?: string;
  botUserId?: string;
  apiAppId?: string;
}

/** Slack's request signature: 'v0=' + hex HMAC-SHA256 of 'v0:{timestamp}:{raw body}'. */
export function signSlackRequest(signingSecret: string, timestamp: number, body: string): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`);
  return `v0=${hmac.digest('hex')}`;
}

/** Where respond() goes when the test gave no response_url: refused locally, never the real Slack. */
const NO_RESPONSE_URL = 'http://127.0.0.1:9/no-response-url-given';

function randomId(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** A SlackRequester signing with this secret. */
export function createSlackRequester(
  signingSecret: string,
  defaults: RequesterDefaults = {},
): SlackRequester {
  const teamDefault = defaults.teamId ?? 'T0TEAM';
  const botUserId = defaults.botUserId ?? 'U0BOT';
  const apiAppId = defaults.apiAppId ?? 'A0FAKEAPP';

  const raw: SlackRequester['raw'] = async (appUrl, body, contentType, opts = {}) => {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const secret = opts.badSignature ? `${signingSecret}-wrong` : signingSecret;
    const response = await fetch(appUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signSlackRequest(secret, timestamp, body),
        ...opts.headers,
      },
      body,
    });
    return { status: response.status, body: await response.text() };
  };

  const form = (appUrl: string, fields: Record<string, string>) =>
    raw(appUrl, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');

  return {
    raw,
    async event(appUrl, event, opts = {}) {
      const eventId = opts.eventId ?? randomId('Ev');
      const teamId = opts.teamId ?? teamDefault;
      const now = Math.floor(Date.now() / 1000);
      const envelope = {
        token: 'fake-verification-token',
        team_id: teamId,
        context_team_id: teamId,
        context_enterprise_id: null,
        api_app_id: apiAppId,
        event: { event_ts: event.ts ?? `${now}.000000`, ...event },
        type: 'event_callback',
        event_id: eventId,
        event_time: now,
        authorizations: [
          {
            enterprise_id: null,
            team_id: teamId,
            user_id: botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
        event_context: randomId('4-'),
      };
      const headers: Record<string, string> = {};
      if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
      if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
      const result = await raw(appUrl, JSON.stringify(envelope), 'application/json', {
        headers,
        ...(opts.badSignature !== undefined && { badSignature: opts.badSignature }),
        ...(opts.timestamp !== undefined && { timestamp: opts.timestamp }),
      });
      return { ...result, eventId };
    },
    command(appUrl, fields) {
      const teamId = fields.team_id ?? teamDefault;
      return form(appUrl, {
        token: 'fake-verification-token',
        team_id: teamId,
        team_domain: 'fake-workspace',
        channel_id: fields.channel_id,
        channel_name: fields.channel_id.startsWith('D') ? 'directmessage' : 'general',
        user_id: fields.user_id,
        user_name: fields.user_name ?? fields.user_id.toLowerCase(),
        command: fields.command ?? '/confluence',
        text: fields.text,
        api_app_id: apiAppId,
        is_enterprise_install: 'false',
        response_url: fields.response_url ?? NO_RESPONSE_URL,
        trigger_id: fields.trigger_id ?? `${Date.now()}.${randomId('')}`,
      });
    },
    interaction(appUrl, payload) {
      return form(appUrl, { payload: JSON.stringify(payload) });
    },
  };
}
