import type { ThreadRef } from '../store/stores.js';

/** Everything needed to run one turn, as plain data (it can be queued and replayed). */
export interface TurnRequest {
  /** Identifies the Slack delivery: an event id, or an interaction's id. */
  id: string;
  source: 'mention' | 'dm' | 'command' | 'shortcut';
  teamId: string;
  channel: string;
  /** The thread the reply goes to. */
  threadTs: string;
  /** The message being answered. */
  messageTs: string;
  userId: string;
  text: string;
  /** Which earlier thread messages the agent reads: those since its last turn (default), all, or none. */
  threadContext?: 'since_last_turn' | 'whole_thread' | 'none';
  /**
   * A visible message to post before the turn starts, quoting the request: as a new thread's
   * root (a slash command, whose thread does not exist yet) or in the thread (a shortcut).
   * The worker posts it, so the request could be queued before Slack's ack.
   */
  announce?: { text: string; where: 'new_thread' | 'in_thread' };
  /** Where the answer goes: the thread (default), or the slash command's response_url. */
  replyVia?: 'thread' | 'response_url';
  responseUrl?: string;
  /** When Slack delivered the request (epoch ms): its response_url lasts 30 minutes from then. */
  receivedAt?: number;
  /**
   * Files attached to the message, by reference only: the request is queued in Redis, so the
   * bytes are fetched when the turn runs (and again if it is resumed), never kept.
   */
  files?: FileRef[];
  /**
   * The Slack request's trace (W3C traceparent), carried through the queue: every run of the
   * turn, on whichever instance, continues it. Ids only, no content.
   */
  traceparent?: string;
}

/** A file attached to a request, as Slack describes it (no bytes). */
export interface FileRef {
  id: string;
  name: string;
  /** As Slack reports them; the bytes are checked again once fetched. */
  mimetype?: string;
  filetype?: string;
  /** In bytes, as Slack reports it. */
  size?: number;
  /** Where the bytes are (Slack's url_private_download or url_private); absent: look it up by id. */
  url?: string;
}

/** The Slack thread a request belongs to. */
export const threadOf = (r: TurnRequest): ThreadRef => ({
  teamId: r.teamId,
  channel: r.channel,
  threadTs: r.threadTs,
});

/**
 * Whether replies go through the response_url: asked for, or the request's new thread does not
 * exist yet (a slash command not yet announced has only a placeholder thread id).
 */
export function repliesViaResponseUrl(r: TurnRequest): boolean {
  return (r.replyVia === 'response_url' || r.announce?.where === 'new_thread') && !!r.responseUrl;
}

/** Largest request text passed to the agent; longer messages get a clear reply instead. */
export const MAX_REQUEST_CHARS = 20_000;
