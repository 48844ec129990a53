/** Timing of what the fakes serve, so a benchmark can tell upstream time from the bot's own. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One HTTP exchange a fake served: from the request's arrival to the end of its response. */
export interface ServedExchange {
  fake: 'slack' | 'anthropic' | 'composio';
  method: string;
  /** Path and query of the request. */
  path: string;
  /** `performance.now()` when the request arrived and when its response was finished. */
  startMs: number;
  endMs: number;
  /** What the fake adds: the Slack call, `{ kind: 'rest' | 'mcp', rpc }` for Composio. */
  detail?: unknown;
}

/** A listener for served exchanges. */
export type ServedListener = (exchange: ServedExchange) => void;

/** Times each exchange of one fake and tells the listeners; cheap when nobody listens. */
export class ServedLog {
  private readonly listeners = new Set<ServedListener>();

  constructor(private readonly fake: ServedExchange['fake']) {}

  /** Adds a listener; returns the function that removes it. */
  on(listener: ServedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts timing an exchange; set `detail` on the handle before the response ends. */
  begin(req: IncomingMessage, res: ServerResponse): { detail?: unknown } {
    const handle: { detail?: unknown } = {};
    if (!this.listeners.size) return handle;
    const startMs = performance.now();
    res.once('finish', () => {
      const exchange: ServedExchange = {
        fake: this.fake,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        startMs,
        endMs: performance.now(),
        detail: handle.detail,
      };
      for (const listener of this.listeners) listener(exchange);
    });
    return handle;
  }
}
