/**
 * The narrow parts of `@composio/core` (0.19) this app uses, so tests and other surfaces can
 * hand in a plain object. Field names follow the SDK's camelCase results.
 */

/** The narrow part of `@composio/core`'s Composio class this app uses. */
export interface ComposioLike {
  create(userId: string, config: SessionConfig): Promise<ToolRouterSession>;
  use(id: string, options: { mcp: true }): Promise<ToolRouterSession>;
  connectedAccounts: ConnectedAccountsLike;
}

/** How every Tool Router session of this app is configured. */
export interface SessionConfig {
  toolkits: string[];
  manageConnections: boolean;
  mcp: true;
  sandbox?: { enable: boolean };
}

/** One toolkit's state as `session.toolkits()` reports it. */
export interface SessionToolkitState {
  slug: string;
  isNoAuth: boolean;
  connection?: { isActive: boolean; connectedAccount?: { id: string; status: string } };
}

/** The parts of a Tool Router session the app needs. */
export interface ToolRouterSession {
  sessionId: string;
  mcp: { url: string; headers?: Record<string, string> };
  /** `GET …/session/{id}/toolkits`: connection state per toolkit. */
  toolkits(options: { toolkits: string[] }): Promise<{ items: SessionToolkitState[] }>;
  /** `POST …/session/{id}/link`: starts a Connect Link for the session's user. */
  authorize(toolkit: string): Promise<{ redirectUrl?: string | null }>;
}

/** `composio.connectedAccounts`: listing (one page) and deleting (revoking) accounts. */
export interface ConnectedAccountsLike {
  list(query: {
    userIds: string[];
    toolkitSlugs: string[];
    cursor?: string;
  }): Promise<{ items: Array<{ id: string }>; nextCursor?: string | null }>;
  delete(id: string): Promise<unknown>;
}
