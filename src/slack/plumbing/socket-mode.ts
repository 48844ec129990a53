import type { App, Logger as BoltLogger, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';

/**
 * How long stop() waits for Slack to answer our close frame: a dead socket must not hold up a
 * shutdown.
 */
const DISCONNECT_TIMEOUT_MS = 5_000;

/** Options for {@link createSocketModeReceiver}. */
export interface SocketModeReceiverOptions {
  /** The app-level token (`xapp-…`, scope `connections:write`). */
  appToken: string;
  /** Slack Web API base URL; `apps.connections.open` goes there too. */
  apiUrl?: string;
  /**
   * The Socket Mode client logs every envelope whole at debug: this must be the adapter of
   * bolt-logger.ts, which writes those lines without their payload.
   */
  logger: BoltLogger;
}

/** What the Socket Mode client hands over for each envelope. */
interface SocketEnvelope {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * A Socket Mode receiver that acknowledges Events API envelopes only once the app has handled
 * them, as HTTP mode does with `processBeforeResponse`: Bolt's own SocketModeReceiver acks an
 * event before its listeners run, so a process that died in that instant would lose a turn
 * Slack never sends again. Unacknowledged, Slack redelivers it (to another instance, if this
 * one is gone). Slash commands and interactions keep Bolt's contract: their listeners call
 * `ack()` when they choose (a modal must open within its trigger's 3 s).
 * https://docs.slack.dev/apis/events-api/using-socket-mode
 */
export class QueueFirstSocketModeReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app?: App;

  constructor(private readonly options: SocketModeReceiverOptions) {
    this.client = new SocketModeClient({
      appToken: options.appToken,
      logger: options.logger,
      // Its WebClient calls apps.connections.open for the WebSocket URL.
      clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {},
    });
    this.client.on('slack_event', (envelope: SocketEnvelope) => this.handle(envelope));
  }

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<unknown> {
    return this.client.start();
  }

  stop(): Promise<unknown> {
    return disconnect(this.client);
  }

  private async handle(envelope: SocketEnvelope): Promise<void> {
    const afterwards = envelope.type === 'events_api';
    let acked = false;
    const event: ReceiverEvent = {
      body: envelope.body,
      retryNum: envelope.retry_num,
      retryReason: envelope.retry_reason,
      customProperties: {},
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        if (!afterwards) await envelope.ack(response as Record<string, unknown> | undefined);
      },
    };
    try {
      await this.app?.processEvent(event);
      if (afterwards) await envelope.ack();
    } catch (err) {
      // An event left unacknowledged comes again (Slack retries), like a 500 in HTTP mode.
      this.options.logger.error('Socket Mode envelope failed', err);
      if (!afterwards && !acked) await envelope.ack().catch(() => {});
    }
  }
}

/** Builds the Socket Mode receiver. */
export function createSocketModeReceiver(
  options: SocketModeReceiverOptions,
): QueueFirstSocketModeReceiver {
  return new QueueFirstSocketModeReceiver(options);
}

/** Closes the WebSocket and waits (bounded) for the close handshake; never reconnects after. */
async function disconnect(client: SocketModeClient, timeoutMs = DISCONNECT_TIMEOUT_MS) {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.disconnect(),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
