import type { App } from '@slack/bolt';
import type { ConnectionService } from '../../composio/connections.js';
import type { ConfluenceReads } from '../../confluence/confluence-reads.js';
import type { LinkPreviews } from '../../confluence/link-previews.js';
import type { JsonRecord } from '../../store/stores.js';
import type { UsageStore } from '../../store/usage.js';
import type { Subscriptions } from '../../subscriptions/subscriptions.js';

import type { TurnDispatcher } from '../../turns/dispatcher.js';
import type { TurnRecord } from '../../turns/turn-record.js';
import { APPROVE_ACTION, DENY_ACTION, DETAILS_ACTION } from '../blocks/approval-blocks.js';
import { CONNECT_ACTION } from '../blocks/connect-blocks.js';
import { DISCONNECT_ACTION } from '../blocks/disconnect-blocks.js';
import { HOME_CONNECT_ACTION } from '../blocks/home-view.js';
import { SUMMARISE_SHORTCUT, SUMMARISE_VIEW } from '../blocks/summarise-modal.js';
import { createApprovalListener } from './actions/approval.js';
import { createApprovalDetailsAction } from './actions/approval-details.js';
import { createDisconnectAction, createHomeConnectAction } from './actions/connections.js';
import { createConfluenceCommand } from './commands/confluence.js';
import { createAppHomeOpenedListener } from './events/app-home-opened.js';
import { createAppMentionListener } from './events/app-mention.js';
import { onAccessLost, onAppContextChanged } from './events/lifecycle.js';
import { createLinkSharedListener } from './events/link-shared.js';
import { createDirectMessageListener } from './events/message-im.js';
import { createSummariseShortcut } from './shortcuts/summarise-thread.js';
import { createSummariseSubmission } from './views/summarise-submission.js';

/** What listeners need from the rest of the app. */
export interface ListenerDeps {
  dispatcher: TurnDispatcher;
  turns: JsonRecord<[turnId: string], TurnRecord>;
  connections: ConnectionService;
  /** The toolkit the connect/disconnect buttons act on. */
  toolkit: string;
  composioUserIdOf(teamId: string, userId: string): Promise<string>;
  /** Confluence reads outside a turn, with each person's own connection. */
  confluence: ConfluenceReads;
  /** Confluence link previews, read with each poster's own connection. */
  linkPreviews: LinkPreviews;
  /** The Confluence sites' domains whose page links get previews (none: no previews). */
  previewDomains: readonly string[];
  firstVisit(teamId: string, userId: string): Promise<boolean>;
  /** Channel subscriptions to Confluence spaces (`/confluence subscribe`, the App Home). */
  subscriptions: Subscriptions;
  /** Token usage per Composio user (the caller's own, in `/confluence status`). */
  usage?: Pick<UsageStore, 'monthOf'>;
}

/** Registers every Slack listener; the single place to see what the app handles. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.event('app_mention', createAppMentionListener(deps.dispatcher));
  app.event('message', createDirectMessageListener(deps.dispatcher));
  app.event('app_home_opened', createAppHomeOpenedListener(deps));
  app.event('app_uninstalled', onAccessLost);
  app.event('tokens_revoked', onAccessLost);
  app.event('app_context_changed', onAppContextChanged);
  app.event('link_shared', createLinkSharedListener(deps));
  app.command('/confluence', createConfluenceCommand(deps));
  app.shortcut(SUMMARISE_SHORTCUT, createSummariseShortcut(deps));
  app.view(SUMMARISE_VIEW, createSummariseSubmission(deps.dispatcher));
  const approval = createApprovalListener(deps);
  app.action(APPROVE_ACTION, approval);
  app.action(DENY_ACTION, approval);
  app.action(DETAILS_ACTION, createApprovalDetailsAction(deps));
  app.action(DISCONNECT_ACTION, createDisconnectAction(deps));
  app.action(HOME_CONNECT_ACTION, createHomeConnectAction(deps));
  // The Connect button opens a URL; Slack still sends the click, which only needs an ack.
  app.action(CONNECT_ACTION, async ({ ack }) => ack());
}
