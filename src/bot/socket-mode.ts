import { type Logger as BoltLogger, SocketModeReceiver } from '@slack/bolt';

/** How long stop() waits for Slack to answer our close frame before giving up on it. */
const DISCONNECT_TIMEOUT_MS = 5_000;

/** Options for {@link createSocketModeReceiver}. */
export interface SocketModeReceiverOptions {
  /** The app-level token (`xapp-…`, scope `connections:write`). */
  appToken: string;
  /** Slack Web API base URL; `apps.connections.open` goes there too. */
  apiUrl?: string;
  logger: BoltLogger;
}

/**
 * Bolt's Socket Mode receiver. It gets no custom routes: its own HTTP server would listen on
 * every interface and could not report a random port, so health is served by
 * `startHealthServer` instead. https://docs.slack.dev/apis/events-api/using-socket-mode
 */
export function createSocketModeReceiver(options: SocketModeReceiverOptions): SocketModeReceiver {
  return new SocketModeReceiver({
    appToken: options.appToken,
    logger: options.logger,
    // The receiver hands these to its SocketModeClient's WebClient, which calls
    // apps.connections.open for the WebSocket URL (App's own clientOptions do not reach it).
    installerOptions: {
      clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {},
    },
  });
}

/** Closes the WebSocket and waits (bounded) for the close handshake; never reconnects after. */
export async function disconnectSocketMode(
  receiver: SocketModeReceiver,
  timeoutMs = DISCONNECT_TIMEOUT_MS,
): Promise<void> {
  // Bolt's receiver.stop() does not wait for the disconnect; the client's own promise does.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    receiver.client.disconnect(),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
