import { ByteBudget } from '../../src/runtime/byte-budget';
import { exposedGc, MemoryReclaimer, observeFullCollections } from '../../src/runtime/memory-reclaim';

const MB = 2 ** 20;

describe('MemoryReclaimer: item memory let go of is collected, not left for V8 to get to', () => {
  it('collects once every `everyBytes` given back to a budget, counting across budgets', async () => {
    let collections = 0;
    const reclaimer = new MemoryReclaimer(10 * MB, () => collections++);
    const released = (n: number): void => reclaimer.released(n);
    const items = new ByteBudget(100 * MB, released);
    const batches = new ByteBudget(100 * MB, released);

    (await items.take(4 * MB))();
    (await batches.take(4 * MB))();
    expect(collections).toBe(0);
    (await items.take(3 * MB))(); // 11 MB given back: one collection
    expect(collections).toBe(1);
    const release = await items.take(9 * MB);
    release();
    release(); // given back once
    expect(collections).toBe(1);
    (await batches.take(MB))();
    expect(collections).toBe(2);
    expect(reclaimer.collected).toBe(2);
  });

  it('starts the count again from a full collection V8 made on its own: it freed what was let go of before', () => {
    let collections = 0;
    const reclaimer = new MemoryReclaimer(10 * MB, () => collections++);
    reclaimer.released(8 * MB);
    reclaimer.fullCollectionSeen();
    reclaimer.released(8 * MB);
    expect(collections).toBe(0);
    reclaimer.released(3 * MB); // 11 MB since V8's collection
    expect(collections).toBe(1);
  });

  it('hears of every full collection V8 makes', async () => {
    const seen = jest.fn();
    const stop = observeFullCollections(seen);
    try {
      exposedGc()!();
      for (let i = 0; i < 40 && seen.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(seen).toHaveBeenCalled();
    } finally {
      stop();
    }
  });

  it('does nothing where the runtime gives no collector', () => {
    const reclaimer = new MemoryReclaimer(1, undefined);
    reclaimer.released(100 * MB);
    expect(reclaimer.collected).toBe(0);
  });

  it("gets V8's collector without --expose-gc, and it frees dropped buffers without waiting for more allocation", async () => {
    const gc = exposedGc();
    expect(typeof gc).toBe('function');
    let held: Buffer[] | undefined = Array.from({ length: 16 }, () => Buffer.alloc(4 * MB, 1));
    const withHeld = process.memoryUsage().arrayBuffers;
    expect(held.reduce((n, b) => n + b.length, 0)).toBe(64 * MB);
    held = undefined;
    gc!();
    // V8 sweeps freed buffers on a helper thread: give it a moment, allocating nothing meanwhile.
    let freed = 0;
    for (let i = 0; i < 40 && freed < 60 * MB; i++) {
      await new Promise((r) => setTimeout(r, 50));
      freed = withHeld - process.memoryUsage().arrayBuffers;
    }
    expect(freed).toBeGreaterThanOrEqual(60 * MB);
    expect(held).toBeUndefined();
  });
});
