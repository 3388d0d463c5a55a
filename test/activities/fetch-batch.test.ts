import { ByteBudget } from '../../src/runtime/byte-budget';
import type { ActivityDeps } from '../../src/activities/ports';
import { makeFetchBatch } from '../../src/activities/fetch-batch';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { CONFIG_NOW, validConnectorFile } from '../support/config-fixtures';

const config = parseConnectorConfig({ ...validConnectorFile(), schedule: { startDate: '2026-11-01', batchSize: 100 } }, CONFIG_NOW);
const window = { from: Date.UTC(2026, 10, 2), to: Date.UTC(2026, 10, 3) };

/** A source that takes 50 ms per batch and counts the batches held at once. */
function fakeDeps(batchMemory: ByteBudget | undefined) {
  let open = 0;
  const seen = { peak: 0, written: 0 };
  const record = (n: number) => ({ info: { conversationId: `c-${n}`, endTime: new Date(window.from + n * 1000).toISOString() } });
  const source = {
    searchClosed: async () => {
      seen.peak = Math.max(seen.peak, ++open);
      await new Promise((r) => setTimeout(r, 50));
      open--;
      return { records: Array.from({ length: 100 }, (_, i) => record(i)), count: 100 };
    },
  };
  const staging = { putJsonLines: () => ((seen.written += 1), Promise.resolve()) };
  const deps = { staging, source: () => source, ...(batchMemory ? { batchMemory } : {}) } as unknown as ActivityDeps;
  return { deps, seen };
}

describe('fetchPage cuts a window in smaller batches while the worker is busy', () => {
  const busyConfig = parseConnectorConfig(
    { ...validConnectorFile(), schedule: { startDate: '2026-11-01', batchSize: 500, busyBatchSize: 40 } },
    CONFIG_NOW,
  );

  /** A source of 130 conversations in the window that records each request's offset and limit. */
  function recordingDeps(crowded: boolean, crowdedAfterFirstSearch = false) {
    const calls: { offset: number; limit: number }[] = [];
    const slots = { crowded };
    const record = (n: number) => ({ info: { conversationId: `c-${n}`, endTime: new Date(window.from + n * 1000).toISOString() } });
    const source = {
      searchClosed: (_w: unknown, offset: number, limit: number) => {
        calls.push({ offset, limit });
        if (crowdedAfterFirstSearch) slots.crowded = true;
        const n = Math.max(0, Math.min(limit, 130 - offset));
        return Promise.resolve({ records: Array.from({ length: n }, (_, i) => record(offset + i)), count: 130 });
      },
    };
    const staging = { putJsonLines: () => Promise.resolve() };
    const deps = { staging, source: () => source, slots } as unknown as ActivityDeps;
    return { deps, calls };
  }

  it('on a crowded worker, the first page is busyBatchSize and says so; the later pages keep that cut', async () => {
    const { deps, calls } = recordingDeps(true);
    const fetchPage = makeFetchBatch(deps);
    const first = await fetchPage({ config: busyConfig, window, page: 0 });
    expect(first).toMatchObject({ kept: 40, totalCount: 130, batchSize: 40 });
    // Later pages carry the cut, whatever the slots say when they run.
    const third = await fetchPage({ config: busyConfig, window, page: 3, batchSize: 40 });
    expect(third).toMatchObject({ kept: 10, batchSize: 40 });
    expect(calls).toEqual([
      { offset: 0, limit: 40 },
      { offset: 120, limit: 40 },
    ]);
  });

  it('on a worker that is not crowded the window keeps the connector batchSize', async () => {
    const { deps, calls } = recordingDeps(false);
    const first = await makeFetchBatch(deps)({ config: busyConfig, window, page: 0 });
    expect(first).toMatchObject({ kept: 130, totalCount: 130, batchSize: 500 });
    expect(calls).toEqual([{ offset: 0, limit: 500 }]);
  });

  it('when the worker becomes crowded while it searches (connectors starting together), it searches again for a busy batch', async () => {
    const { deps, calls } = recordingDeps(false, true);
    const first = await makeFetchBatch(deps)({ config: busyConfig, window, page: 0 });
    expect(first).toMatchObject({ kept: 40, totalCount: 130, batchSize: 40 });
    expect(calls).toEqual([
      { offset: 0, limit: 500 },
      { offset: 0, limit: 40 },
    ]);
  });
});

describe('fetchPage under the worker memory budget for batches', () => {
  it('holds no more batches at once than the budget allows (64 KB per conversation of a batch), and writes them all', async () => {
    const budget = new ByteBudget(2 * 100 * 64 * 1024);
    const { deps, seen } = fakeDeps(budget);
    const fetchPage = makeFetchBatch(deps);

    const results = await Promise.all([0, 1, 2, 3, 4].map((page) => fetchPage({ config, window, page })));

    expect(results.map((r) => r.kept)).toEqual([100, 100, 100, 100, 100]);
    expect(seen.written).toBe(5);
    expect(seen.peak).toBe(2);
    expect(budget.inUse).toBe(0);
  });

  it('without a budget the same five fetches hold five batches at once', async () => {
    const { deps, seen } = fakeDeps(undefined);
    await Promise.all([0, 1, 2, 3, 4].map((page) => makeFetchBatch(deps)({ config, window, page })));
    expect(seen.peak).toBe(5);
  });
});
