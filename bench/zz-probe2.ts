import { startAppChild } from './app-child.js';
import { createDriver } from './driver.js';
import { TurnTracker } from './turn-tracker.js';
import { startUpstreams } from './upstreams.js';

const up = await startUpstreams();
const app = await startAppChild('ours', up.env({ LOG_LEVEL: 'info' }));
const tracker = new TurnTracker(up.slack);
const driver = createDriver(up, app, tracker);
let threadTs: string | undefined;
for (let i = 0; i < 8; i++) {
  await up.settle();
  up.exchanges.length = 0;
  const s = await driver.turn({ user: 'UPROBE1', channel: 'CPROBE', threadTs });
  threadTs = s.threadTs;
  if (i < 5) continue;
  await up.settle();
  let last = s.sentMs;
  console.log(`turn ${i}: e2e ${s.doneMs.toFixed(1)} ack ${s.ackMs.toFixed(1)}`);
  for (const e of up.exchanges.sort((a, b) => a.startMs - b.startMs)) {
    const d = e.detail as { method?: string; kind?: string; rpc?: string[] } | undefined;
    const what =
      e.fake === 'slack'
        ? d?.method
        : e.fake === 'composio'
          ? `${d?.kind} ${d?.rpc?.join(',') ?? e.path}`
          : 'model';
    console.log(
      `  +${(e.startMs - s.sentMs).toFixed(1).padStart(6)} gap ${(e.startMs - last).toFixed(1).padStart(5)} dur ${(e.endMs - e.startMs).toFixed(1).padStart(5)} ${e.fake} ${what}`,
    );
    last = Math.max(last, e.endMs);
  }
}
tracker.close();
await app.stop();
await up.close();
