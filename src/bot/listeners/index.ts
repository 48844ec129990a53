import type { App } from '@slack/bolt';
import type { TurnDispatcher } from '../../turns/dispatcher.js';
import { createAppMentionListener } from './events/app-mention.js';

/** What listeners need from the rest of the app. */
export interface ListenerDeps {
  dispatcher: TurnDispatcher;
}

/** Registers every Slack listener; the single place to see what the app handles. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.event('app_mention', createAppMentionListener(deps.dispatcher));
}
