import { type ChildProcess, fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppMessage, AppRequest } from './app-process.js';
import type { Variant } from './bench-app.js';

const ENTRY = resolve(import.meta.dirname, 'app-process.ts');
const TSX = import.meta.resolve('tsx');
const START_TIMEOUT_MS = 30_000;
const STATS_TIMEOUT_MS = 10_000;

/** Memory and CPU of the app process at one moment. */
export interface AppStats {
  /** VmRSS from /proc/<pid>/status (the process's own figure where /proc is missing). */
  rssBytes: number;
  heapUsedBytes: number;
  /** What V8 holds for its heap, and memory outside it (Buffers, native objects). */
  heapTotalBytes: number;
  externalBytes: number;
  /** Open file descriptors (sockets mostly); -1 without /proc. */
  openFds: number;
  cpuMs: number;
}

/** The bot running in its own Node process, so its memory and CPU are its own. */
export interface AppChild {
  pid: number;
  eventsUrl: string;
  /** Log lines at error level or above (first few), and how many there were. */
  errors: { count: number; first: string[] };
  /** `gc: 'last-resort'` also has V8 release the heap pages it keeps for reuse. */
  stats(options?: { gc?: boolean | 'last-resort' }): Promise<AppStats>;
  /** Writes a V8 heap snapshot of the app to `path` (for digging into memory by hand). */
  heapSnapshot(path: string): Promise<void>;
  stop(): Promise<void>;
  /** Kills the process with SIGKILL (no shutdown of any kind); resolves once it has exited. */
  kill(): Promise<void>;
}

/** VmRSS of a process in bytes, or undefined without /proc. */
function procRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The number of open file descriptors of a process, or -1 without /proc. */
function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
}

function nextMessage(child: ChildProcess, type: AppMessage['type'], timeoutMs: number) {
  return new Promise<AppMessage>((resolvePromise, reject) => {
    const onMessage = (m: AppMessage) => {
      if (m.type === type) done(undefined, m);
    };
    const onExit = (code: number | null) => done(new Error(`app process exited (${code})`));
    const timer = setTimeout(
      () => done(new Error(`app process: no ${type} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    function done(err?: Error, m?: AppMessage) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolvePromise(m!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Forks the app process for `variant` with exactly `env` (plus PATH) and waits until it listens;
 * with `profileDir`, the process writes a V8 CPU profile there when it stops.
 */
export async function startAppChild(
  variant: Variant,
  env: Record<string, string>,
  options: { profileDir?: string; nodeFlags?: string[] } = {},
): Promise<AppChild> {
  const child = fork(ENTRY, [variant], {
    execArgv: [
      '--expose-gc',
      ...(options.nodeFlags ?? []),
      ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
      '--import',
      TSX,
    ],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const errors = { count: 0, first: [] as string[] };
  const keep = (line: string) => {
    errors.count += 1;
    if (errors.first.length < 5) errors.first.push(line.slice(0, 600));
  };
  // Log lines at error or fatal level (pino levels 50 and 60); anything on stderr.
  const scanStdout = (chunk: Buffer) => {
    const text = chunk.toString();
    if (!/"level":[56]0/.test(text)) return;
    for (const line of text.split('\n')) if (/"level":[56]0/.test(line)) keep(line);
  };
  const scanStderr = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) keep(line);
  };
  child.stdout?.on('data', scanStdout);
  child.stderr?.on('data', scanStderr);
  const ready = await nextMessage(child, 'ready', START_TIMEOUT_MS).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${errors.first.join('\n')}`);
  });
  const port = ready.type === 'ready' ? ready.port : 0;
  const request = (r: AppRequest) => child.send(r);
  return {
    pid: child.pid!,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    errors,
    async stats(options = {}) {
      const answer = nextMessage(child, 'stats', STATS_TIMEOUT_MS);
      request({ type: 'stats', gc: options.gc ?? true });
      const m = await answer;
      if (m.type !== 'stats') throw new Error('unexpected answer');
      return {
        rssBytes: procRss(child.pid!) ?? m.rss,
        heapUsedBytes: m.heapUsed,
        heapTotalBytes: m.heapTotal,
        externalBytes: m.external,
        openFds: openFds(child.pid!),
        cpuMs: m.cpuMicros / 1000,
      };
    },
    async heapSnapshot(path) {
      const written = nextMessage(child, 'snapshot', 120_000);
      request({ type: 'snapshot', path });
      await written;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      request({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
