/** One toolkit's connection state for a Composio user. */
export interface ConnectionStatus {
  toolkit: string;
  connected: boolean;
  /** The connected account, when there is one. */
  accountId?: string;
}

/** Direct connection management for the slash command and App Home (no model involved). */
export interface ConnectionService {
  /** Connection state of every configured toolkit. */
  status(composioUserId: string): Promise<ConnectionStatus[]>;
  /** A link that connects `toolkit` for this user, or null when it is already connected. */
  connect(composioUserId: string, toolkit: string): Promise<{ redirectUrl: string } | null>;
  /** Removes the user's connected account(s) for `toolkit`; resolves to how many were removed. */
  disconnect(composioUserId: string, toolkit: string): Promise<number>;
}
