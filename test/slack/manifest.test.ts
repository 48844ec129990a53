import { readFileSync } from 'node:fs';
import type { AppsManifestCreateArguments } from '@slack/web-api';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerListeners } from '../../src/slack/listeners/index.js';
import { createRecordingApp, createStubDeps } from './manifest-recording-app.js';

/** Bolt's typing of an app manifest (the package does not export `Manifest` by name). */
type Manifest = AppsManifestCreateArguments['manifest'];

// ajv-formats is CommonJS: under NodeNext its default export arrives as `.default`.
const addFormats = addFormatsModule.default;

const readText = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const manifest = parse(readText('../../manifest.yml')) as Manifest;
// Slack's published schema (MIT, see test/fixtures/slack-manifest.schema.NOTICE).
const schema = JSON.parse(readText('../fixtures/slack-manifest.schema.1.0.0.json'));

/** In channels the bot acts only when mentioned (SPEC §3): a `message` listener means DMs. */
const MESSAGE_EVENT = 'message.im';
/** The bot scope each event subscription needs (https://docs.slack.dev/reference/events). */
const EVENT_SCOPES: Record<string, string | undefined> = {
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
  'message.mpim': 'mpim:history',
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  link_shared: 'links:read',
};

function registered() {
  const { app, registrations } = createRecordingApp();
  registerListeners(app, createStubDeps());
  const ids = (method: string) =>
    registrations.filter((r) => r.method === method).map((r) => r.id ?? '(any)');
  return { registrations, ids };
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe('manifest.yml', () => {
  it("is valid against Slack's manifest schema", () => {
    // Unknown keywords fail; type-strictness is off for loose parts of Slack's schema we don't use.
    const ajv = new Ajv({
      allErrors: true,
      strictSchema: true,
      strictTypes: false,
      strictTuples: false,
    });
    addFormats(ajv);
    // Slack's schema annotates with `_note`, and spells one pattern `regex` (neither is a JSON
    // Schema keyword): accept the first, enforce the second.
    ajv.addVocabulary(['_note']);
    ajv.addKeyword({
      keyword: 'regex',
      type: 'string',
      schemaType: 'string',
      validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
    });
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('subscribes to exactly the events the code listens to', () => {
    const { ids } = registered();
    const listened = ids('event').map((name) => (name === 'message' ? MESSAGE_EVENT : name));
    if (ids('message').length > 0) listened.push(MESSAGE_EVENT);
    const declared = manifest.settings?.event_subscriptions?.bot_events ?? [];
    expect(sorted(declared), 'bot_events vs app.event()/app.message() listeners').toEqual(
      sorted(listened),
    );
  });

  it('declares exactly the slash commands the code handles', () => {
    const declared = (manifest.features?.slash_commands ?? []).map((c) => c.command);
    expect(sorted(declared), 'slash_commands vs app.command() listeners').toEqual(
      sorted(registered().ids('command')),
    );
  });

  it('declares exactly the shortcuts the code handles, with matching types', () => {
    const { registrations, ids } = registered();
    const shortcuts = manifest.features?.shortcuts ?? [];
    expect(sorted(shortcuts.map((s) => s.callback_id)), 'shortcuts vs app.shortcut()').toEqual(
      sorted(ids('shortcut')),
    );
    for (const r of registrations.filter((x) => x.method === 'shortcut' && x.constraints?.type)) {
      const declared = shortcuts.find((s) => s.callback_id === r.id);
      expect(declared?.type, `type of shortcut ${r.id}`).toBe(r.constraints?.type);
    }
  });

  it('turns on interactivity, and option loads exactly when the code serves them', () => {
    const { ids } = registered();
    const interactive = ['action', 'shortcut', 'view', 'options'].some((m) => ids(m).length > 0);
    const interactivity = manifest.settings?.interactivity;
    expect(interactivity?.is_enabled ?? false, 'settings.interactivity.is_enabled').toBe(
      interactive,
    );
    // External selects load their options from this URL; without app.options() it answers nothing.
    expect(
      Boolean(interactivity?.message_menu_options_url),
      `message_menu_options_url vs app.options() listeners (${ids('options').join(', ') || 'none'})`,
    ).toBe(ids('options').length > 0);
  });

  it('asks for the scopes its events, commands and shortcuts need', () => {
    const scopes = manifest.oauth_config?.scopes?.bot ?? [];
    const events = manifest.settings?.event_subscriptions?.bot_events ?? [];
    const needed = events.map((e) => EVENT_SCOPES[e]).filter((s): s is string => Boolean(s));
    const features = manifest.features;
    if (features?.slash_commands?.length || features?.shortcuts?.length) needed.push('commands');
    if (features?.agent_view) needed.push('assistant:write');
    // Unfurl domains are only worth their link_shared events with chat.unfurl's scope.
    if (features?.unfurl_domains?.length) needed.push('links:write');
    expect(sorted(scopes)).toEqual(expect.arrayContaining(sorted(needed)));
  });

  it('declares unfurl domains exactly when the code previews links', () => {
    const previews = registered().ids('event').includes('link_shared');
    const domains = manifest.features?.unfurl_domains ?? [];
    expect(domains.length > 0, 'features.unfurl_domains vs a link_shared listener').toBe(previews);
  });

  it('points every HTTP-mode URL at POST /slack/events', () => {
    const settings = manifest.settings;
    expect(settings?.event_subscriptions?.request_url, 'events request_url').toBeDefined();
    expect(settings?.interactivity?.request_url, 'interactivity request_url').toBeDefined();
    const urls = [
      settings?.event_subscriptions?.request_url,
      settings?.interactivity?.request_url,
      settings?.interactivity?.message_menu_options_url,
      ...(manifest.features?.slash_commands ?? []).map((c) => c.url),
    ].filter((url) => url !== undefined);
    for (const url of urls) expect(url).toBe('https://your-host.example.com/slack/events');
    expect(settings?.socket_mode_enabled).toBe(false);
  });
});
