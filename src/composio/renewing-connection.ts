import { errorOutcome } from '../agent/tool-result.js';
import type { HostTool, ToolOutcome } from '../agent/types.js';
import type { Logger } from '../logger.js';
import { type McpToolHost, SessionExpiredError } from './mcp-tool-host.js';

/** One MCP connection to one Tool Router session. */
export interface Connection {
  host: McpToolHost;
  sessionId: string;
  /** Calls running on this connection; a replaced connection closes once they are done. */
  inFlight: number;
  retired: boolean;
}

/** Closes a connection now, or once its last call settles (closing aborts calls in flight). */
async function retire(connection: Connection): Promise<void> {
  connection.retired = true;
  if (!connection.inFlight) await connection.host.close();
}

async function callOn(connection: Connection, name: string, args: Record<string, unknown>) {
  connection.inFlight += 1;
  try {
    return await connection.host.callTool(name, args);
  } finally {
    connection.inFlight -= 1;
    if (connection.retired && !connection.inFlight) void connection.host.close();
  }
}

/**
 * A user's live connection, renewed when its Tool Router session expires: the first call that
 * finds the session gone opens a new one (reusing no stale id), every other call caught out by
 * the same expiry waits for that one renewal, and each failed call is retried once on it.
 */
export class RenewingConnection {
  private current: Connection;
  /** The renewal under way, shared by the calls that found the same connection expired. */
  private renewal: Promise<Connection> | undefined;

  constructor(
    first: Connection,
    private readonly reconnect: (staleSessionId: string) => Promise<Connection>,
    private readonly log: Pick<Logger, 'info'>,
  ) {
    this.current = first;
  }

  listTools(): Promise<HostTool[]> {
    return this.current.host.listTools();
  }

  async callTool(name: string, args: Record<string, unknown>): Promise<ToolOutcome> {
    const used = this.current;
    try {
      return await callOn(used, name, args);
    } catch (err) {
      if (!(err instanceof SessionExpiredError)) throw err;
      try {
        return await callOn(await this.renewAfter(used), name, args);
      } catch (retryErr) {
        return errorOutcome(
          `Tool ${name} failed after reconnecting: ${(retryErr as Error).message}`,
        );
      }
    }
  }

  /** Closes the connection once the calls running on it are done. */
  close(): Promise<void> {
    return retire(this.current);
  }

  /** The connection that replaces `stale`: opened once, however many calls ask. */
  private renewAfter(stale: Connection): Promise<Connection> {
    if (this.current !== stale) return Promise.resolve(this.current);
    this.renewal ??= (async () => {
      this.log.info({ sessionId: stale.sessionId }, 'tool router session expired; recreating');
      this.current = await this.reconnect(stale.sessionId);
      // Calls still out on the old connection get their own 404 and retry on the new one.
      void retire(stale);
      return this.current;
    })().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }
}
