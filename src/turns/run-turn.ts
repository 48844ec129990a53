import type { WebClient } from '@slack/web-api';
import type { SessionProvider } from '../agent/composio-sessions.js';
import type { ModelClient } from '../agent/model-client.js';
import { runAgentTurn } from '../agent/run-agent.js';
import type { ConversationMessage } from '../agent/types.js';
import { resolveComposioUserId, type UserIdMode } from '../bot/composio-user.js';
import { postThreadReply } from '../bot/thread-replier.js';
import { userMessageFor, withCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Stores, ThreadRef } from '../store/stores.js';
import type { TurnRequest } from './turn-request.js';
import { MAX_REQUEST_CHARS } from './turn-request.js';

/** What the turn runner needs, passed in by the composition root. */
export interface TurnDeps {
  slack: WebClient;
  stores: Stores<ConversationMessage>;
  sessions: SessionProvider;
  model: ModelClient;
  system: string;
  maxModelCalls: number;
  userIdMode: UserIdMode;
  logger: Logger;
  now?: () => Date;
}

/** Runs one turn; resolves once the reply (or a clear failure message) is in the thread. */
export type TurnRunner = (request: TurnRequest) => Promise<void>;

export const HELP_REPLY =
  'Hi! Ask me to do something in Confluence, for example: _create a page titled "Launch Plan" in space MKT_, _add the label urgent to "Q3 planning"_, or _summarise this thread into a new page_.';

/** The per-turn facts the model gets with the request (kept out of the cached prefix). */
export function userTurnText(request: TurnRequest, now: Date): string {
  return `[Slack request from <@${request.userId}> on ${now.toISOString().slice(0, 10)}]\n${request.text}`;
}

/** Creates the use case that answers one Slack request with the agent. */
export function createTurnRunner(deps: TurnDeps): TurnRunner {
  return async (request) => {
    const log = deps.logger.child({ turn: request.id, source: request.source });
    const thread: ThreadRef = {
      teamId: request.teamId,
      channel: request.channel,
      threadTs: request.threadTs,
    };
    const reply = (text: string) => postThreadReply(deps.slack, thread, text);
    if (!request.text) return void (await reply(HELP_REPLY));
    if (request.text.length > MAX_REQUEST_CHARS) {
      return void (await reply(
        `That message is ${request.text.length.toLocaleString('en')} characters long; I can take up to ${MAX_REQUEST_CHARS.toLocaleString('en')}. Please shorten it or put the long part in a file or page and point me to it.`,
      ));
    }
    try {
      const history = await withCode('store_unavailable', 'history load failed', () =>
        deps.stores.history.load(thread),
      );
      const composioUserId = await withCode('store_unavailable', 'identity lookup failed', () =>
        resolveComposioUserId(request, {
          stores: deps.stores,
          mode: deps.userIdMode,
          slack: deps.slack,
        }),
      );
      const tools = await withCode('tools_unavailable', 'tool session failed', () =>
        deps.sessions.forUser(composioUserId),
      );
      log.debug({ composioUserId, tools: tools.catalog.tools.length }, 'turn started');
      const result = await withCode('model_unavailable', 'model call failed', () =>
        runAgentTurn({
          model: deps.model,
          tools: tools.host,
          catalog: tools.catalog,
          system: deps.system,
          history,
          userMessage: userTurnText(request, deps.now?.() ?? new Date()),
          maxModelCalls: deps.maxModelCalls,
        }),
      );
      await withCode('store_unavailable', 'history save failed', () =>
        deps.stores.history.save(thread, result.messages),
      );
      await reply(result.text || '(no answer)');
      log.info({ outcome: result.outcome, modelCalls: result.modelCalls }, 'turn finished');
    } catch (err) {
      log.error({ err }, 'turn failed');
      await reply(userMessageFor(err)).catch((postErr) =>
        log.error({ err: postErr }, 'could not post the failure message'),
      );
    }
  };
}
