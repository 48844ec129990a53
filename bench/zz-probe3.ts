import { startAppChild } from './app-child.js';
import { createDriver, pool } from './driver.js';
import { summarise } from './stats.js';
import { TurnTracker } from './turn-tracker.js';
import { startUpstreams } from './upstreams.js';

const up = await startUpstreams();
const conc = Number(process.argv[2] ?? 8);
const inflight = Number(process.argv[3] ?? 32);
const app = await startAppChild(
  'ours',
  up.env({ LOG_LEVEL: 'info', TURN_CONCURRENCY: String(conc) }),
);
const tracker = new TurnTracker(up.slack);
const driver = createDriver(up, app, tracker);
const users = Array.from({ length: 100 }, (_, i) => `UP${String(i).padStart(5, '0')}`);
const threads = new Map<string, string>();
for (let wave = 0; wave < 4; wave++) {
  const t0 = performance.now();
  const c0 = (await app.stats({ gc: false })).cpuMs; const b0 = process.cpuUsage();
  const samples = await pool(
    users.map((u) => async () => {
      const s = await driver.turn({ user: u, channel: 'CP', threadTs: threads.get(u) });
      threads.set(u, s.threadTs);
      return s;
    }),
    inflight,
  );
  const dt = performance.now() - t0;
  const c1 = (await app.stats({ gc: false })).cpuMs;
  const b1 = process.cpuUsage(b0);
  console.log('bench util', ((b1.user + b1.system) / 1000 / dt).toFixed(2));
  console.log(
    'wave',
    wave,
    'turns/s',
    ((100 / dt) * 1000).toFixed(1),
    'app cpu util',
    ((c1 - c0) / dt).toFixed(2),
    'ack',
    JSON.stringify(summarise(samples.map((s) => s.ackMs))),
    'done',
    JSON.stringify(summarise(samples.map((s) => s.doneMs))),
  );
  up.anthropic.forget();
  await up.settle();
}
tracker.close();
await app.stop();
await up.close();
