import type { FetchBatchResult, ImportBatchResult, PrepareBatchResult } from '../activities/contracts';
import type { ConnectorConfig, ConversationSource, TimeWindow } from '../model';
import type { WindowActivities } from './activities-proxy';

export interface WindowProgress {
  pages?: number;
  pagesDone: number;
}

/**
 * Runs one activity call until it succeeds, with the connector's failure policy (see connector-workflow).
 * `retried` is true when an earlier call of the same step failed (it may have done part of the work).
 */
export type Guard = <T>(call: (retried: boolean) => Promise<T>) => Promise<T>;

export interface WindowOptions {
  /** Keeps the window's blobs apart from the connector's own windows (reimports, sweeps). */
  readonly scope?: string;
  /** A late-arrival sweep: skip what these window manifests list (see BatchRef.skipSeenIn). */
  readonly skipSeenIn?: readonly string[];
  /** A completeness repair: keep only what this proof blob lists as missing (see BatchRef.onlyMissingIn). */
  readonly onlyMissingIn?: string;
  /** `chat`: the window reads legacy chats (absent: messaging, as every recorded history has it). */
  readonly source?: ConversationSource;
  /** A reimport's start (epoch ms): what its retried imports find created before was there already. */
  readonly ownWritesSince?: number;
  /**
   * Asked once a page fails the window (a stop or a reconfigure while a lane waited out a failure): true to
   * drain the other lanes before the failure is rethrown. The caller passes `() => patched(DRAIN_LANES_PATCH)`:
   * histories from before it let the other lanes go on.
   */
  readonly drainOnFailure?: () => boolean;
  /**
   * Asked once, as the window starts: true to run each batch as preparePage → importPage (2 activities instead of
   * 5). The caller passes `() => patched(FUSED_PREPARE_PATCH)`: histories from before it replay the single steps.
   */
  readonly fusedPrepare?: () => boolean;
}

/** Patch id: a batch's fetch → convert → stage → resolve run as one activity, preparePage (fewer billed actions). */
export const FUSED_PREPARE_PATCH = 'fused-prepare';

/**
 * Patch id: a window that fails drains its other page lanes (they start nothing more and record nothing more,
 * and the failure is rethrown once their calls in flight have ended). Before it, they went on in the background
 * while the caller rolled the window's counts back and ran it again: their pages were counted twice, and their
 * log parts could overwrite the re-run's.
 */
export const DRAIN_LANES_PATCH = 'window-lanes-drain';

/** Ends a lane of a window that is being drained. */
class LaneStopped extends Error {}

export interface WindowOutcome {
  /** Whether the window had anything in it, and so wrote a manifest. */
  readonly manifest: boolean;
}

/**
 * One collection window: page 0 tells how many pages there are (and how many conversations each holds); every page then runs
 * prepare (fetch → convert → stage → resolve-mailbox, one activity) → import, `pageConcurrency` pages at a time
 * (before FUSED_PREPARE_PATCH: the four steps as activities of their own); last, the
 * window's manifest is written and its working blobs removed. Pages with nothing in the window skip
 * the pipeline (no empty activities in live mode).
 */
export async function processWindow(
  acts: WindowActivities,
  guard: Guard,
  config: ConnectorConfig,
  window: TimeWindow,
  day: string,
  progress: WindowProgress,
  onPage: (result: ImportBatchResult) => void,
  options: WindowOptions = {},
): Promise<WindowOutcome> {
  const scoped = {
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.skipSeenIn ? { skipSeenIn: options.skipSeenIn } : {}),
    ...(options.onlyMissingIn ? { onlyMissingIn: options.onlyMissingIn } : {}),
    ...(options.source === 'chat' ? { source: options.source } : {}),
  };
  // Read once, before the window's first command: every batch of the window takes the same path.
  const fused = options.fusedPrepare?.() === true;
  const fetchOrPrepare = (page: number, cutOf: { batchSize?: number }): Promise<FetchBatchResult | PrepareBatchResult> => {
    const ref = { config, window, page, ...scoped, ...cutOf };
    return fused ? acts.preparePage(ref) : acts.fetchPage(ref);
  };
  const first = await guard(() => fetchOrPrepare(0, {}));
  // The first fetch chose the cut (smaller batches while the worker is busy); the later pages keep it.
  const batchSize = first.batchSize ?? config.schedule.batchSize;
  const cut = first.batchSize !== undefined ? { batchSize } : {};
  const pages = Math.max(1, Math.ceil(first.totalCount / batchSize));
  progress.pages = pages;
  const processed: number[] = [];
  let draining = false;
  // Every step of a page, unless the window is being drained.
  const step: Guard = (call) => (draining ? Promise.reject(new LaneStopped()) : guard(call));

  const runPage = async (page: number, fetched?: typeof first): Promise<void> => {
    const f = fetched ?? (await step(() => fetchOrPrepare(page, cut)));
    if (f.kept > 0) {
      const ref = { config, window, page, ...scoped };
      const since = options.ownWritesSince !== undefined ? { ownWritesSince: options.ownWritesSince } : {};
      let routed: string;
      if ('routed' in f) routed = f.routed;
      else {
        // As before FUSED_PREPARE_PATCH, await for await: replay needs the lanes' commands in the same order.
        const c = await step(() => acts.convertPage({ ...ref, rawPage: f.rawPage }));
        const s = await step(() => acts.stagePage({ ...ref, converted: c.converted }));
        const r = await step(() => acts.resolvePage({ ...ref, staged: s.staged }));
        routed = r.routed;
      }
      const i = await step((retried) => acts.importPage({ ...ref, routed, day, ...(retried ? { retried } : {}), ...since }));
      if (draining) throw new LaneStopped(); // the caller has rolled the window's counts back, or is about to
      processed.push(page);
      onPage(i);
    }
    progress.pagesDone++;
  };

  let next = 1;
  const lane = async (startWithFirst: boolean): Promise<void> => {
    if (startWithFirst) await runPage(0, first);
    while (next < pages) {
      const page = next++;
      await runPage(page);
    }
  };
  const lanes = Math.max(1, Math.min(config.schedule.pageConcurrency, pages));
  const running = Array.from({ length: lanes }, (_, k) => lane(k === 0));
  try {
    await Promise.all(running);
  } catch (err) {
    // The caller rolls the window's counts back and may run it again at once: nothing of this run may follow.
    if (options.drainOnFailure?.() === true) {
      draining = true;
      await Promise.allSettled(running);
    }
    throw err;
  }
  if (processed.length === 0) return { manifest: false };
  const pagesWithItems = processed.sort((a, b) => a - b);
  const named = { ...(options.scope ? { scope: options.scope } : {}), ...(options.source === 'chat' ? { source: options.source } : {}) };
  await guard(() => acts.completeWindow({ config, window, pages: pagesWithItems, ...named }));
  return { manifest: true };
}
