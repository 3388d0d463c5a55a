import { RestError, type ContainerClient } from '@azure/storage-blob';
import { CleanupOptionsError } from './errors';
import { BLOB_KINDS, type BlobKind } from './types';

/** Options of {@link BlobStaging.cleanupStaged}. */
export interface CleanupOptions {
  /** Blobs last modified more than this many days ago are deleted (0: everything up to `now`). */
  readonly olderThanDays: number;
  /** Which containers to clean. Deleting `raw`/`work` of a window still in progress makes it fail: only list them for long retentions. */
  readonly kinds: readonly BlobKind[];
  /** Only blobs whose name starts with this, e.g. `<connector>/` for manifests and logs. */
  readonly prefix?: string;
  /** A name prefix per kind, over `prefix` (a connector's manifests and logs are `<connector>/…`, its items `<account>/…`). */
  readonly prefixes?: Readonly<Partial<Record<BlobKind, string>>>;
  /**
   * Asked for each due blob that the store does not protect, just before it would be deleted: true keeps it
   * (counted as `keptReferenced`), e.g. an item that a manifest within the retention still names.
   */
  readonly keep?: (kind: BlobKind, name: string) => boolean | Promise<boolean>;
  /** The clock; injectable for tests. Default: now. */
  readonly now?: Date;
  /** Called after each blob looked at (e.g. to heartbeat a long cleanup). */
  readonly onProgress?: () => void;
}

/** What a cleanup did, per container kind. */
export interface CleanupResult {
  /** Blobs modified before this instant were due (ISO 8601). */
  readonly cutoff: string;
  readonly scanned: Readonly<Record<BlobKind, number>>;
  readonly deleted: Readonly<Record<BlobKind, number>>;
  /** Due, but under a legal hold or an unexpired immutability policy: kept, as the store demands. */
  readonly keptProtected: Readonly<Record<BlobKind, number>>;
  /** Due and unprotected, but still needed (see {@link CleanupOptions.keep}): kept. */
  readonly keptReferenced: Readonly<Record<BlobKind, number>>;
}

const DAY_MS = 86_400_000;

function zeros(): Record<BlobKind, number> {
  return Object.fromEntries(BLOB_KINDS.map((k) => [k, 0])) as Record<BlobKind, number>;
}

/** Validates the options and computes the cutoff. @throws CleanupOptionsError */
export function cleanupCutoff(options: CleanupOptions): Date {
  const { olderThanDays, kinds } = options;
  if (!Number.isFinite(olderThanDays) || olderThanDays < 0)
    throw new CleanupOptionsError('olderThanDays', `must be a number of days ≥ 0, got ${String(olderThanDays)}`);
  const unknown = kinds.filter((k) => !(BLOB_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new CleanupOptionsError('kinds', `has unknown kinds ${unknown.join(', ')}; use ${BLOB_KINDS.join(', ')}`);
  const now = options.now ?? new Date();
  return new Date(now.getTime() - olderThanDays * DAY_MS);
}

/** An empty result to fill in. */
export function emptyCleanupResult(cutoff: Date): {
  cutoff: string;
  scanned: Record<BlobKind, number>;
  deleted: Record<BlobKind, number>;
  keptProtected: Record<BlobKind, number>;
  keptReferenced: Record<BlobKind, number>;
} {
  return { cutoff: cutoff.toISOString(), scanned: zeros(), deleted: zeros(), keptProtected: zeros(), keptReferenced: zeros() };
}

/**
 * Deletes the due blobs of one container. Blobs under a legal hold or an unexpired policy are skipped
 * up front; if the service still refuses (409: immutable), the blob is counted as protected, not failed.
 * A due, unprotected blob that `keep` claims is kept too.
 */
export async function cleanupContainer(
  container: ContainerClient,
  kind: BlobKind,
  cutoff: Date,
  now: Date,
  options: Pick<CleanupOptions, 'prefix' | 'prefixes' | 'onProgress' | 'keep'>,
  result: ReturnType<typeof emptyCleanupResult>,
): Promise<void> {
  const { onProgress, keep } = options;
  const prefix = options.prefixes?.[kind] ?? options.prefix;
  const listing = container.listBlobsFlat({ ...(prefix ? { prefix } : {}), includeImmutabilityPolicy: true, includeLegalHold: true });
  for await (const blob of listing) {
    result.scanned[kind]++;
    onProgress?.();
    if (blob.properties.lastModified >= cutoff) continue;
    const policyUntil = blob.properties.immutabilityPolicyExpiresOn;
    if (blob.properties.legalHold === true || (policyUntil !== undefined && policyUntil > now)) {
      result.keptProtected[kind]++;
      continue;
    }
    if (keep && (await keep(kind, blob.name))) {
      result.keptReferenced[kind]++;
      continue;
    }
    try {
      const response = await container.getBlobClient(blob.name).deleteIfExists({ deleteSnapshots: 'include' });
      if (response.succeeded) result.deleted[kind]++;
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 409) {
        result.keptProtected[kind]++;
        continue;
      }
      throw err;
    }
  }
}
