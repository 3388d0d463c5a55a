import type { temporal } from '@temporalio/proto';
import type { BatchRef, PrepareBatchResult } from '../../src/activities/contracts';
import { startHarness, type Harness } from '../support/connector-harness';
import { backfillOneWindow, expectExactlyOnce } from '../support/backfill-window';
import { activityInputs, activityResults } from '../support/history';
import { recordHistory } from '../support/record-history';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Activity types scheduled in these events, with how many times each. */
function scheduledTypes(events: readonly HistoryEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

/** A backfill of one window cut in batches of 10, run until the window is done, then stopped. */
const backfill = (h: Harness, anchor: number) => backfillOneWindow(h, anchor, { pageSize: 10, batchSize: 10 });

/**
 * Each batch of a backfill runs as two activities, preparePage (fetch → convert → stage → resolve) and importPage,
 * instead of five (issue 22: fewer billed actions per conversation). Real dev server, emulators over HTTP.
 */
describe('a batch prepared in one activity (real dev server, emulators over HTTP)', () => {
  let h: Harness;
  const anchor = Date.now();

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 45, days: 1, anchorTime: anchor - 10 * 60_000, maxMessages: 4 } });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs only preparePage and importPage per batch, and archives every conversation exactly once', async () => {
    const { config, startAt, handle, result, runs, events } = await backfill(h, anchor);
    recordHistory(handle, 'fused-prepare-backfill', runs[0]!.runId);

    const truth = await expectExactlyOnce(h, config, startAt, result);
    const { followLive: _live, proveDays: _proof, ...windowWork } = scheduledTypes(events); // live and the proof run after it
    const batches = Math.ceil(truth.length / 10);
    // One window: a preparePage per batch, an importPage per batch with conversations, one completeWindow.
    expect(windowWork).toEqual({ preparePage: batches, importPage: batches, completeWindow: 1 });
    const prepared = activityInputs<BatchRef>(events, 'preparePage');
    expect(prepared.map((p) => p.page).sort((a, b) => a - b)).toEqual(Array.from({ length: batches }, (_, k) => k));
    const results = activityResults<PrepareBatchResult>(events, 'preparePage');
    expect(results.reduce((n, r) => n + r.kept, 0)).toBe(truth.length);
    // Only references and counts in history: the routed file's name, never its contents.
    for (const r of results) expect(r.routed).toMatch(/routed/);
  });
});

describe('a preparePage that fails after staging (real dev server, emulators over HTTP)', () => {
  let h: Harness;
  const anchor = Date.now();
  let failedOnce = false;
  const afterFault: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 45, days: 1, anchorTime: anchor - 10 * 60_000, maxMessages: 4 } });
    // The worker writes through this very object: fail the first routed file (resolve's write, after stage has
    // sealed the batch's items), as a storage outage or a crash there would, and watch what the retry seals.
    const staging = h.staging;
    const putJson = staging.putJson.bind(staging);
    staging.putJson = async (kind, name, value) => {
      if (!failedOnce && kind === 'work' && name.includes('routed')) {
        failedOnce = true;
        throw new Error('storage connection reset (test fault after staging)');
      }
      return putJson(kind, name, value);
    };
    const putItemOnce = staging.putItemOnce.bind(staging);
    staging.putItemOnce = async (name, bytes, metadata) => {
      const staged = await putItemOnce(name, bytes, metadata);
      if (failedOnce) afterFault.push(staged.status);
      return staged;
    };
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is retried by Temporal, reuses the items it sealed, and every conversation is still archived exactly once', async () => {
    const { config, startAt, result, events } = await backfill(h, anchor);
    expect(failedOnce).toBe(true);

    await expectExactlyOnce(h, config, startAt, result);
    // The failed batch ran again: its preparePage started a second attempt, which found its sealed items there.
    const scheduled = new Set(
      events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'preparePage').map((e) => String(e.eventId)),
    );
    const attempts = events.flatMap((e) => {
      const s = e.activityTaskStartedEventAttributes;
      return s && scheduled.has(String(s.scheduledEventId)) ? [s.attempt ?? 1] : [];
    });
    expect(Math.max(...attempts)).toBe(2);
    expect(afterFault).toContain('exists');
    expect(scheduledTypes(events)).not.toHaveProperty('fetchPage');
    expect(result.recentFailures.filter((f) => /stag|conflict|differ/i.test(f.reason))).toEqual([]);
  });
});
