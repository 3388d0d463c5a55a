import { heartbeat } from '../runtime/heartbeat';
import type { BatchRef, PrepareBatchResult } from './contracts';
import { makeConvertBatch } from './convert-batch';
import { makeFetchBatch } from './fetch-batch';
import type { ActivityDeps } from './ports';
import { makeResolveBatch } from './resolve-batch';
import { makeStageBatch } from './stage-batch';

/**
 * How long a fetch inside preparePage is kept alive by heartbeats: as long as a fetchPage could run (its
 * start-to-close). A fetch hung past it then stops heartbeating and the attempt times out as a lone fetch would.
 */
const FETCH_KEEP_ALIVE_MS = 180_000;

/**
 * How often the fetch offers a heartbeat: often enough for short (test) timeouts. heartbeat() paces what reaches the
 * server (none in an attempt's first 30 s, then at most one per 2 s), so a fetch of a few seconds sends none.
 */
const FETCH_BEAT_MS = 1_000;

/**
 * preparePage: fetch → convert → stage → resolve-mailbox of one batch, as one activity (one billed action instead
 * of four); import stays apart, as it waits on Graph's per-mailbox budgets. The same composition runs the live
 * follower's in-process windows (runtime/in-process-window.ts). Every step writes under deterministic names (raw
 * and work blobs overwritten, sealed items written once and reused when their bytes match), so a retry after a
 * crash anywhere in it redoes the batch and ends with the same routed file.
 */
export function makePrepareBatch(deps: ActivityDeps) {
  const fetch = makeFetchBatch(deps);
  const convert = makeConvertBatch(deps);
  const stage = makeStageBatch(deps);
  const resolve = makeResolveBatch(deps);
  return async function prepareBatch(ref: BatchRef): Promise<PrepareBatchResult> {
    const f = await keptAlive(() => fetch(ref));
    const cut = f.batchSize !== undefined ? { batchSize: f.batchSize } : {};
    if (f.kept === 0) return { kept: 0, totalCount: f.totalCount, ...cut, routed: '', items: 0, failed: 0, targets: 0, unmapped: 0 };
    // The later steps name their blobs by the batch alone: the cut a later page's fetch was given is not theirs.
    const { batchSize: _cut, ...batch } = ref;
    const c = await convert({ ...batch, rawPage: f.rawPage });
    const s = await stage({ ...batch, converted: c.converted });
    const r = await resolve({ ...batch, staged: s.staged });
    return {
      kept: f.kept,
      totalCount: f.totalCount,
      ...cut,
      routed: r.routed,
      items: c.items,
      failed: c.failed,
      targets: r.targets,
      unmapped: r.unmapped,
    };
  };
}

/** Runs a fetch (which has no per-item heartbeats) so that the activity's heartbeat timeout does not cut it short. */
async function keptAlive<T>(body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - started < FETCH_KEEP_ALIVE_MS) heartbeat();
  }, FETCH_BEAT_MS);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}
