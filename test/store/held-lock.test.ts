import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withHeldLock } from '../../src/store/held-lock.js';
import { createMemoryKeyValueStore } from '../../src/store/memory-kv.js';

describe('withHeldLock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the lock while the work runs, past its TTL, and lets it go after', async () => {
    const kv = createMemoryKeyValueStore();
    let finish: (value: string) => void = () => {};
    const held = withHeldLock(kv, 'lock', 6, () => new Promise<string>((r) => (finish = r)));
    await vi.advanceTimersByTimeAsync(20_000);
    // Three TTLs later the holder is still at it: nobody else gets the lock.
    expect(await withHeldLock(kv, 'lock', 6, async () => 'other')).toEqual({ held: false });
    finish('done');
    expect(await held).toEqual({ held: true, value: 'done' });
    expect(await withHeldLock(kv, 'lock', 6, async () => 'other')).toEqual({
      held: true,
      value: 'other',
    });
  });

  it('stops renewing after ten TTLs: work that hangs does not hold the lock for ever', async () => {
    const kv = createMemoryKeyValueStore();
    void withHeldLock(kv, 'lock', 6, () => new Promise<never>(() => {}));
    await vi.advanceTimersByTimeAsync(50_000);
    expect(await withHeldLock(kv, 'lock', 6, async () => 'other')).toEqual({ held: false });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await withHeldLock(kv, 'lock', 6, async () => 'other')).toEqual({
      held: true,
      value: 'other',
    });
  });

  it("lets a dead holder's lock lapse within its TTL", async () => {
    const kv = createMemoryKeyValueStore();
    // Taken by a process that died: nobody renews it.
    await kv.setIfAbsent('lock', 'dead-holder', 6);
    expect(await withHeldLock(kv, 'lock', 6, async () => 'mine')).toEqual({ held: false });
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await withHeldLock(kv, 'lock', 6, async () => 'mine')).toEqual({
      held: true,
      value: 'mine',
    });
  });
});
