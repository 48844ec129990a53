/** Refuses (and records) every TCP connection that would leave 127.0.0.1, whatever client opens it. */
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The host a `Socket#connect` call aims at, or undefined for a Unix socket path. */
function targetHost(args: unknown[]): string | undefined {
  const [first, second] = args;
  if (Array.isArray(first)) return targetHost(first);
  if (first && typeof first === 'object') {
    const options = first as { host?: string; path?: string };
    return options.path ? undefined : (options.host ?? 'localhost');
  }
  if (typeof first === 'number' || /^\d+$/.test(String(first)))
    return typeof second === 'string' ? second : 'localhost';
  return undefined;
}

/**
 * Patches `net.Socket#connect` (under fetch/undici, axios, ioredis and TLS alike) so a test
 * fails loudly instead of reaching the internet. Call `restore()` in afterAll and assert that
 * `refused` is empty.
 */
export function guardLoopbackSockets(): { refused: string[]; restore(): void } {
  const original = net.Socket.prototype.connect;
  const refused: string[] = [];
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
    const host = targetHost(args);
    if (host !== undefined && !LOOPBACK.has(host)) {
      refused.push(host);
      process.nextTick(() =>
        this.destroy(new Error(`network access beyond 127.0.0.1 refused in tests: ${host}`)),
      );
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return {
    refused,
    restore() {
      net.Socket.prototype.connect = original;
    },
  };
}
