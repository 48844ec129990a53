import type { App } from '@slack/bolt';
import type { JsonRecord } from '../../store/stores.js';
import type { TurnDispatcher } from '../../turns/dispatcher.js';
import type { TurnRecord } from '../../turns/turn-record.js';
import { APPROVE_ACTION, DENY_ACTION } from '../approval-blocks.js';
import { createApprovalListener } from './actions/approval.js';
import { createAppMentionListener } from './events/app-mention.js';

/** What listeners need from the rest of the app. */
export interface ListenerDeps {
  dispatcher: TurnDispatcher;
  turns: JsonRecord<[turnId: string], TurnRecord>;
}

/** Registers every Slack listener; the single place to see what the app handles. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.event('app_mention', createAppMentionListener(deps.dispatcher));
  const approval = createApprovalListener(deps);
  app.action(APPROVE_ACTION, approval);
  app.action(DENY_ACTION, approval);
  // The Connect button opens a URL; Slack still sends the click, which only needs an ack.
  app.action('connect_link', async ({ ack }) => ack());
}
