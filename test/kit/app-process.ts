import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './redis-server.js';
import { waitUntil } from './wait.js';

const MAIN = resolve(import.meta.dirname, '../../src/main.ts');
const TSX = import.meta.resolve('tsx');

/** The bot running as its own process (src/main.ts, as `npm start` runs it). */
export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** Log lines so far (JSON parsed; other lines kept as { raw }). */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line (past or future) matching `predicate`. */
  waitForLog(
    predicate: (l: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /**
   * Resolves with the HTTP port the process reports in its "listening" line: a start-up
   * handshake for a process given PORT=0 (scripts/load-core.ts). Tests use startApp instead.
   */
  port(): Promise<number>;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** A started app process and where it serves. */
export interface RunningApp extends AppProcess {
  /** `http://127.0.0.1:<port>` (health routes). */
  baseUrl: string;
  /** The Events API endpoint (absent in a worker-only process). */
  eventsUrl: string;
}

/** Options for {@link spawnApp}. */
export interface SpawnOptions {
  /** Command-line arguments after src/main.ts (e.g. `--role worker`). */
  args?: string[];
  /** Contents of a `.env` file in the process's working folder (none by default). */
  dotenv?: string;
}

/**
 * Starts src/main.ts with exactly `env` (plus PATH), in an empty folder so no .env is read
 * unless `options.dotenv` writes one.
 */
export function spawnApp(
  name: string,
  env: Record<string, string | undefined>,
  options: SpawnOptions = {},
): AppProcess {
  const cwd = mkdtempSync(join(tmpdir(), `cas-${name}-`));
  if (options.dotenv !== undefined) writeFileSync(join(cwd, '.env'), options.dotenv);
  const clean = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...(options.args ?? [])], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...clean },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters = new Set<{
    match: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }>();
  let buffer = '';
  const take = (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
      if (!line.trim()) continue;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        parsed = { raw: line };
      }
      logs.push(parsed);
      for (const w of [...waiters]) {
        if (!w.match(parsed)) continue;
        waiters.delete(w);
        w.resolve(parsed);
      }
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<number | string | null>((r) =>
    child.once('close', (code, signal) => r(code ?? signal)),
  );
  const waitForLog: AppProcess['waitForLog'] = (predicate, timeoutMs = 15_000) => {
    const seen = logs.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolvePromise, reject) => {
      const waiter = {
        match: predicate,
        resolve: (l: Record<string, unknown>) => {
          clearTimeout(timer);
          resolvePromise(l);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(
            `${name}: no matching log line within ${timeoutMs} ms; last lines:\n${logs
              .slice(-15)
              .map((l) => JSON.stringify(l))
              .join('\n')}`,
          ),
        );
      }, timeoutMs);
      waiters.add(waiter);
      void exited.then(() => {
        if (!waiters.has(waiter)) return;
        waiters.delete(waiter);
        clearTimeout(timer);
        reject(
          new Error(
            `${name} exited while waiting; last lines:\n${logs
              .slice(-15)
              .map((l) => JSON.stringify(l))
              .join('\n')}`,
          ),
        );
      });
    });
  };
  return {
    name,
    child,
    logs,
    waitForLog,
    exited,
    port: () => waitForLog((l) => l.msg === 'listening').then((l) => Number(l.port)),
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/**
 * Starts src/main.ts on a free loopback port it is given as PORT (unless `env` names one) and
 * resolves once its /healthz answers; rejects if the process exits first.
 */
export async function startApp(
  name: string,
  env: Record<string, string | undefined>,
  options: SpawnOptions = {},
): Promise<RunningApp> {
  const port = Number(env.PORT) || (await freePort());
  const app = spawnApp(name, { ...env, PORT: String(port), HOST: '127.0.0.1' }, options);
  const baseUrl = `http://127.0.0.1:${port}`;
  let exitedEarly = false;
  const up = waitUntil(
    `${name} to serve ${baseUrl}/healthz`,
    async () => {
      if (exitedEarly) return true;
      return (await fetch(`${baseUrl}/healthz`)).status === 200;
    },
    20_000,
  );
  const early = app.exited.then((code) => {
    exitedEarly = true;
    const output = app.logs.slice(-15).map((l) => JSON.stringify(l));
    throw new Error(`${name} exited (${code}) before serving:\n${output.join('\n')}`);
  });
  early.catch(() => {}); // reported below if it wins the race
  try {
    await Promise.race([up, early]);
    if (exitedEarly) await early;
  } catch (err) {
    app.kill('SIGKILL'); // a process that never came up is not left behind
    throw err;
  }
  return Object.assign(app, {
    port: async () => port,
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
  });
}
