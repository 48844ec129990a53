/**
 * Where an app process's CPU went, from a V8 CPU profile written by `npm run bench -- --profile
 * DIR`: self time by package (node_modules), by Node internal module, and by our own folder,
 * over the whole profile or its last N seconds (the load phase runs last).
 *
 *   npx tsx bench/profile-summary.ts DIR/CPU.….cpuprofile [--last SECONDS] [--top N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The place a frame's code lives: a package, a Node module, our folder, or V8 itself. */
export function placeOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName ? `(${functionName.replace(/[()]/g, '')})` : '(native)';
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  // Node's bundled undici (fetch) lives under internal/deps: named, since it is a client of ours.
  if (url.startsWith('node:internal/deps/'))
    return `node:${url.split('/')[2]!.replace(/\..*$/, '')}`;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/')[0]!;
  const ours = /\/(src|bench|test)\/(.*)$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]!.split('/')[0]}`;
  return url;
}

/** Self time (µs) by place, idle left out, for samples at or after `fromMicros`. */
export function selfTimeByPlace(profile: CpuProfile, fromMicros = 0): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromMicros) continue;
    const frame = byId.get(profile.samples[i]!)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    const place = placeOf(frame);
    out.set(place, (out.get(place) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { last: { type: 'string' }, top: { type: 'string' } },
  });
  const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile;
  const from = values.last ? profile.endTime - Number(values.last) * 1e6 : 0;
  const byPlace = selfTimeByPlace(profile, from);
  const busy = [...byPlace.values()].reduce((a, b) => a + b, 0);
  console.log(`busy: ${(busy / 1000).toFixed(0)} ms of CPU`);
  const rows = [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top ?? 25));
  for (const [place, micros] of rows)
    console.log(`${((micros / busy) * 100).toFixed(1).padStart(5)}%  ${place}`);
}
