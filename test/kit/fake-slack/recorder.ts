interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** An append-only log whose waitFor resolves on a past or future matching entry, without polling. */
export class Recorder<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();
  private closed = false;

  constructor(
    private readonly noun: string,
    private readonly describe: (item: T) => string,
  ) {}

  /** Appends an entry and settles every waiter it matches. */
  push(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (safeMatch(waiter.match, item)) this.settle(waiter, () => waiter.resolve(item));
    }
  }

  /** Resolves with the first entry (already seen or still to come) that matches; rejects after timeoutMs. */
  waitFor(match: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const seen = this.items.find((item) => safeMatch(match, item));
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.closed)
      return Promise.reject(new Error(`fake-slack closed while waiting for ${what}`));
    const startedAt = new Error(`fake-slack: waiting for ${what}`);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.settle(waiter, () => reject(this.timeoutError(what, timeoutMs, startedAt)));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Rejects every pending waiter (used when the fake closes). */
  close(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) {
      this.settle(waiter, () => waiter.reject(new Error(`fake-slack closed while waiting`)));
    }
  }

  private settle(waiter: Waiter<T>, action: () => void): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    action();
  }

  private timeoutError(what: string, timeoutMs: number, origin: Error): Error {
    const seen = this.items.map((item) => `  - ${this.describe(item)}`);
    const list = seen.length > 0 ? seen.join('\n') : '  (none)';
    const error = new Error(
      `fake-slack: no ${what} within ${timeoutMs} ms. ${this.noun} seen (${seen.length}):\n${list}`,
    );
    error.stack = `${error.message}\n${origin.stack?.split('\n').slice(1).join('\n') ?? ''}`;
    return error;
  }
}

function safeMatch<T>(match: (item: T) => boolean, item: T): boolean {
  try {
    return match(item);
  } catch {
    return false;
  }
}

/** Shortens a value for one line of a diagnostic listing. */
export function brief(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
