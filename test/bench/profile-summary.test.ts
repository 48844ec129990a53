import { describe, expect, it } from 'vitest';
import { placeOf, selfTimeByPlace } from '../../bench/profile-summary.js';

const frame = (url: string, functionName = 'f') => ({ url, functionName });

describe('bench/profile-summary', () => {
  it('names the place of a frame: package, Node module, bundled undici, our folder, V8', () => {
    expect(placeOf(frame('file:///app/node_modules/@slack/web-api/dist/x.js'))).toBe(
      '@slack/web-api',
    );
    expect(placeOf(frame('file:///app/node_modules/ioredis/built/Redis.js'))).toBe('ioredis');
    expect(placeOf(frame('node:internal/deps/undici/undici'))).toBe('node:undici');
    expect(placeOf(frame('node:internal/streams/readable'))).toBe('node:streams');
    expect(placeOf(frame('file:///work/main/src/store/stores.ts'))).toBe('src/store');
    expect(placeOf(frame('', '(garbage collector)'))).toBe('(garbage collector)');
  });

  it('sums self time by place from a given moment, idle left out', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('', '(idle)') },
        { id: 2, callFrame: frame('file:///a/node_modules/ioredis/x.js') },
        { id: 3, callFrame: frame('file:///a/src/agent/run.ts') },
      ],
      startTime: 0,
      endTime: 100,
      // A sample's time is the delta to the next one.
      samples: [2, 1, 3, 2, 3],
      timeDeltas: [0, 10, 20, 30, 40],
    };
    expect(Object.fromEntries(selfTimeByPlace(profile))).toEqual({
      ioredis: 10 + 40,
      'src/agent': 30,
    });
    expect(Object.fromEntries(selfTimeByPlace(profile, 25))).toEqual({
      ioredis: 40,
      'src/agent': 30,
    });
  });
});
