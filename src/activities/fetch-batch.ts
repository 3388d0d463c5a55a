import { errorKind, rawPageBlobName, scopedWindowLabel, sourceOf, type ConnectorConfig } from '../model';
import { PAST_RETENTION_REACH_MS } from '../liveperson/search-plan';
import type { WindowManifest } from '../pipeline/manifest';
import { seenInManifests, type SeenConversations } from '../pipeline/seen-conversations';
import { recordsInWindow, recordsListed, recordsNotSeen, versionKey } from '../pipeline/window-filter';
import { heartbeat, info } from '../runtime/heartbeat';
import { writeRawBatch } from '../storage/raw-batches';
import type { BatchRef, CompletenessRecord, FetchBatchResult } from './contracts';
import type { ActivityDeps } from './ports';

/**
 * Memory a fetched conversation record takes until the batch is written out: parsed JSON of about 20 messages
 * is ~60 KB (the bench's records average 23 KB of JSON). Long conversations are larger; it is an estimate that
 * keeps many connectors' batches from being held at once, not a limit on any one record.
 */
const MEMORY_PER_RECORD_BYTES = 64 * 1024;

/**
 * fetch: one batch of the covering query, filtered exactly to the window, saved as a raw batch blob
 * (deterministic name, overwritten on retry). A record without a usable end time is kept, so that
 * convert logs it as failed instead of it vanishing.
 */
export function makeFetchBatch(deps: ActivityDeps) {
  return async function fetchBatch(ref: BatchRef): Promise<FetchBatchResult> {
    // One batch: several LivePerson pages of at most 100 (the client splits the request). It is held whole
    // until it is written, so it takes its turn in the worker's memory budget for batches.
    const batchSize = ref.batchSize ?? ref.config.schedule.batchSize;
    const release = await deps.batchMemory?.take(batchSize * MEMORY_PER_RECORD_BYTES);
    try {
      return await fetchAndKeep(deps, ref, batchSize);
    } finally {
      release?.();
    }
  };
}

/**
 * The window's first fetch cuts it: in batches of `batchSize`, or of `busyBatchSize` when the worker is crowded
 * (ActivitySlots). Then other connectors' tasks are waiting for the pool, and small batches let it go
 * round them instead of this window's long activities holding slots (with one task per connector in the
 * queue, even Temporal's fairness mode can only serve them in arrival order). The later batches keep the cut.
 */
function isBusyCut(deps: ActivityDeps, ref: BatchRef): boolean {
  return (
    ref.batchSize === undefined &&
    ref.page === 0 &&
    deps.slots?.crowded === true &&
    ref.config.schedule.busyBatchSize < ref.config.schedule.batchSize
  );
}

function logBusyCut(ref: BatchRef): void {
  const busy = ref.config.schedule.busyBatchSize;
  const normal = ref.config.schedule.batchSize;
  info(
    `connector ${ref.config.name}: this worker is crowded (every activity slot taken, or more connectors active than half its slots), so this window is cut in batches of ${busy} conversations (schedule.busyBatchSize) instead of ${normal}, to share the worker with the other connectors`,
    { connector: ref.config.name, batchSize: busy },
  );
}

async function fetchAndKeep(deps: ActivityDeps, ref: BatchRef, normalSize: number): Promise<FetchBatchResult> {
  const { window, page } = ref;
  // Windows reach back liveperson.maxConversationAge; the late-arrival sweep (skipSeenIn) and a completeness repair
  // (onlyMissingIn) reach back LivePerson's whole retention: they find conversations that stayed open for months.
  const config = ref.onlyMissingIn || ref.skipSeenIn ? withFullReach(ref.config) : ref.config;
  const source = sourceOf(ref);
  const search = (size: number) => deps.source(config, source).searchClosed(window, page * size, size);
  // Busy when the fetch starts, or once it has searched: connectors that start together fill the slots while
  // the first ones search, so those look again rather than take a large batch. A second search, not a cut of
  // the first one's records: a batch is a range of the covering queries' results, before each keeps its own.
  const busy = config.schedule.busyBatchSize;
  let batchSize = isBusyCut(deps, ref) ? busy : normalSize;
  let result = await search(batchSize);
  if (batchSize !== busy && result.count > busy && isBusyCut(deps, ref)) {
    batchSize = busy;
    result = await search(batchSize);
  }
  if (batchSize < normalSize && result.count > busy) logBusyCut(ref);
  let records = recordsInWindow(result.records, window);
  if (ref.skipSeenIn) records = recordsNotSeen(records, await seenIn(deps, ref.skipSeenIn), source);
  if (ref.onlyMissingIn) records = recordsListed(records, await missingIn(deps, ref.onlyMissingIn));
  if (records.length === 0) return { rawPage: '', kept: 0, totalCount: result.count, batchSize };
  const name = rawPageBlobName(config.name, scopedWindowLabel(window, ref.scope), page, source);
  await writeRawBatch(deps.staging, name, window, page, records);
  return { rawPage: name, kept: records.length, totalCount: result.count, batchSize };
}

/** What the given window manifests list (a window without a manifest had nothing in it). */
async function seenIn(deps: ActivityDeps, names: readonly string[]): Promise<SeenConversations> {
  const docs: WindowManifest[] = [];
  for (const name of names) {
    heartbeat();
    try {
      docs.push(await deps.staging.getJson<WindowManifest>('manifests', name));
    } catch (err) {
      if (errorKind(err) !== 'not-found') throw err;
    }
  }
  return seenInManifests(docs);
}

/** The conversation versions a completeness proof lists as missing. */
async function missingIn(deps: ActivityDeps, proofBlob: string): Promise<ReadonlySet<string>> {
  const proof = await deps.staging.getJson<CompletenessRecord>('logs', proofBlob);
  return new Set(proof.missing.map((m) => versionKey(m.conversationId, m.version)));
}

/** The config with LivePerson's whole retention, and one piece before it, as the start reach of its searches. */
export function withFullReach(config: ConnectorConfig): ConnectorConfig {
  return { ...config, liveperson: { ...config.liveperson, maxConversationAgeMs: PAST_RETENTION_REACH_MS } };
}
