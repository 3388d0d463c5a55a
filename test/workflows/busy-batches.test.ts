import type { PrepareBatchResult, BatchRef } from '../../src/activities/contracts';
import { startHarness, type Harness } from '../support/connector-harness';
import { backfillOneWindow, expectExactlyOnce } from '../support/backfill-window';
import { activityInputs, activityResults } from '../support/history';

/**
 * A worker whose activity slots are all taken (here: it has one, and the fetch holds it) cuts each new window
 * in batches of `busyBatchSize`, so that many connectors on one pool take turns in small units of work. The
 * pages after the first keep the cut; every conversation still arrives exactly once.
 */
describe('windows cut in busy batches (real dev server, emulators over HTTP)', () => {
  let h: Harness;
  const anchor = Date.now();

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 45, days: 1, anchorTime: anchor - 10 * 60_000, maxMessages: 4 }, activitySlots: 1 });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('cuts the window in pages of busyBatchSize, fetches each page at its offset, and imports every conversation once', async () => {
    const { config, startAt, result, events } = await backfillOneWindow(h, anchor, { batchSize: 500, busyBatchSize: 10 });

    const truth = await expectExactlyOnce(h, config, startAt, result);
    const fetches = activityInputs<BatchRef>(events, 'preparePage');
    const firsts = activityResults<PrepareBatchResult>(events, 'preparePage').filter((r) => r.batchSize !== undefined);
    // The first window: ceil(n / 10) pages, the first preparePage (its fetch) chose 10, and each later page carries it.
    const firstWindow = fetches.filter((f) => f.window.from === startAt);
    expect(firsts[0]!.batchSize).toBe(10);
    expect(firstWindow.map((f) => f.page).sort((a, b) => a - b)).toEqual(Array.from({ length: Math.ceil(truth.length / 10) }, (_, k) => k));
    for (const f of firstWindow) expect(f.batchSize).toBe(f.page === 0 ? undefined : 10);
  });
});
