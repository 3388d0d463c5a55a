import { connectorFolder, safeSegment } from '../model';
import type { WindowManifest } from '../pipeline/manifest';
import { ItemReferences, mayNameItemsBefore, windowOfBlobName } from '../pipeline/retention-references';
import { heartbeat, info } from '../runtime/heartbeat';
import { cleanupCutoff, type CleanupOptions, type CleanupResult } from '../storage/cleanup';
import { CleanupOptionsError } from '../storage/errors';
import type { BlobKind, DatedBlob } from '../storage/types';

/** Input of the cleanup activity: names only, no personal data (it goes into workflow history). */
export interface CleanupStagedInput {
  /** The connector whose manifests and logs (`<connector>/…`) are cleaned. */
  readonly connector: string;
  /** Its LivePerson account: the sealed items `<account>/…` it shares with the account's other connectors. */
  readonly accountId: string;
  /** Overrides the worker's retention (LPA_RETENTION_DAYS); for tests and one-off runs. */
  readonly olderThanDays?: number;
}

/** What one cleanup did (counts per container kind, the cutoff and the retention): small and free of personal data. */
export type CleanupStagedResult =
  (CleanupResult & { readonly retentionDays: number; readonly skipped?: undefined }) | { readonly skipped: string };

/** Said (and shown by `connector status`) when the worker has no retention: keeping records is the safe default. */
export const RETENTION_NOT_CONFIGURED = 'retention not configured (LPA_RETENTION_DAYS): nothing is deleted';

/** What the activity needs of the staging: BlobStaging satisfies it. */
export interface CleanupPort {
  cleanupStaged(options: CleanupOptions): Promise<CleanupResult>;
  listDated(kind: BlobKind, prefix: string): AsyncIterable<DatedBlob>;
  listFolders(kind: BlobKind): Promise<string[]>;
  list(kind: BlobKind, prefix: string): Promise<string[]>;
  getJson<T>(kind: BlobKind, name: string): Promise<T>;
}

/** The connector's sealed items, their manifests and its logs: everything kept after a window is done. */
export const CLEANUP_KINDS: readonly BlobKind[] = ['items', 'manifests', 'logs'];

/** How often the windows in progress are listed again while items are being deleted. */
const IN_PROGRESS_REFRESH_MS = 5_000;

/**
 * cleanup: deletes a connector's manifests and logs, and its account's sealed items, last written before the
 * retention, except what the store protects (legal hold, unexpired immutability policy) and items still needed: named
 * by a manifest (of any connector) written within the retention, or in the range of a window still in progress.
 * Without a configured retention it deletes nothing. Heartbeats as it goes, so give it a heartbeat timeout.
 */
export function makeCleanupStaged(staging: CleanupPort, retentionDays: number | undefined, clock: () => number = Date.now) {
  return async function cleanupStaged(input: CleanupStagedInput): Promise<CleanupStagedResult> {
    const olderThanDays = input.olderThanDays ?? retentionDays;
    if (olderThanDays === undefined) return { skipped: RETENTION_NOT_CONFIGURED };
    for (const field of ['connector', 'accountId'] as const) {
      if (typeof input[field] !== 'string' || input[field].trim() === '')
        throw new CleanupOptionsError(field, 'must name the connector and its LivePerson account (the schedule passes both)');
    }
    const now = new Date(clock());
    const cutoff = cleanupCutoff({ olderThanDays, kinds: CLEANUP_KINDS, now }).getTime();
    const own = `${safeSegment(input.connector)}/`;
    const refs = new ItemReferences(`${safeSegment(input.accountId)}/`);
    // Windows in progress first: one that completes meanwhile has its manifest written before the manifests are read.
    await addWindowsInProgress(staging, refs);
    await addManifestReferences(staging, refs, cutoff);
    info('Retention cleanup: references collected', { connector: input.connector, ...refs.size });
    let listedAt = Date.now();
    let seen = 0;
    const result = await staging.cleanupStaged({
      olderThanDays,
      now,
      kinds: CLEANUP_KINDS,
      prefixes: { items: `${safeSegment(input.accountId)}/`, manifests: own, logs: own },
      keep: async (kind, name) => {
        if (kind !== 'items') return false;
        // A window may have started since: look again before deleting (see docs/retention.md for what remains).
        if (Date.now() - listedAt > IN_PROGRESS_REFRESH_MS) {
          await addWindowsInProgress(staging, refs);
          listedAt = Date.now();
        }
        return refs.keeps(name) !== undefined;
      },
      onProgress: () => heartbeat({ seen: ++seen }),
    });
    // Legacy chat's manifests sit in their own folder (`chat~<connector>/`); its items and log parts are covered above.
    const chat = await staging.cleanupStaged({
      olderThanDays,
      now,
      kinds: ['manifests'],
      prefixes: { manifests: `${connectorFolder(input.connector, 'chat')}/` },
      onProgress: () => heartbeat({ seen: ++seen }),
    });
    return { ...addResults(result, chat), retentionDays: olderThanDays };
  };
}

function addResults(a: CleanupResult, b: CleanupResult): CleanupResult {
  const sum = (x: Readonly<Record<BlobKind, number>>, y: Readonly<Record<BlobKind, number>>) =>
    Object.fromEntries(Object.keys(x).map((k) => [k, x[k as BlobKind] + (y[k as BlobKind] ?? 0)])) as Record<BlobKind, number>;
  return {
    cutoff: a.cutoff,
    scanned: sum(a.scanned, b.scanned),
    deleted: sum(a.deleted, b.deleted),
    keptProtected: sum(a.keptProtected, b.keptProtected),
    keptReferenced: sum(a.keptReferenced, b.keptReferenced),
  };
}

/** Every window of every connector whose raw or working blobs exist (named `<connector>/<window>/…`). */
async function addWindowsInProgress(staging: CleanupPort, refs: ItemReferences): Promise<void> {
  for (const kind of ['raw', 'work'] as const) {
    for (const name of await staging.list(kind, '')) {
      const window = windowOfBlobName(name);
      if (window) refs.addWindowInProgress(window);
    }
  }
}

/**
 * The items named by manifests written within the retention whose window may hold an item older than the cutoff.
 * Manifest names sort by window start within a connector's folder, so each listing stops at the first window
 * that starts after the cutoff: a daily run reads about a day's edge of manifests, not the whole archive.
 */
async function addManifestReferences(staging: CleanupPort, refs: ItemReferences, cutoff: number): Promise<void> {
  for (const folder of await staging.listFolders('manifests')) {
    for await (const blob of staging.listDated('manifests', folder)) {
      heartbeat();
      if (!mayNameItemsBefore(blob.name, cutoff)) break; // sorted: every later window starts later still
      if (blob.lastModified.getTime() < cutoff) continue; // due itself: it protects nothing
      refs.addManifest(await staging.getJson<WindowManifest>('manifests', blob.name));
    }
  }
}
