import type { CleanupOptions, CleanupResult } from '../storage/cleanup';
import type { BlobKind } from '../storage/types';
import { heartbeat } from '../runtime/heartbeat';

/** Input of the cleanup activity: small and free of personal data (it goes into workflow history). */
export interface CleanupStagedInput {
  /** Overrides the worker's retention (LPA_RETENTION_DAYS). */
  readonly olderThanDays?: number;
  /** Default {@link DEFAULT_CLEANUP_KINDS}. `raw`/`work` are deleted by completeWindow; list them only to sweep abandoned windows. */
  readonly kinds?: readonly BlobKind[];
  /** Only blobs under this name prefix (e.g. `<connector>/` for manifests and logs; items are named by account). */
  readonly prefix?: string;
}

export type CleanupStagedResult = (CleanupResult & { readonly skipped?: undefined }) | { readonly skipped: string };

/** What the activity needs of the staging: BlobStaging satisfies it. */
export interface CleanupPort {
  cleanupStaged(options: CleanupOptions): Promise<CleanupResult>;
}

/** Sealed items, their manifests and the connector logs: everything kept after a window is done. */
export const DEFAULT_CLEANUP_KINDS: readonly BlobKind[] = ['items', 'manifests', 'logs'];

/**
 * cleanup: deletes staged blobs older than the retention, skipping those still under a legal hold or an
 * immutability policy (the store would refuse anyway). Without a configured retention it deletes nothing:
 * keeping records is the safe default. Heartbeats per blob, so give it a heartbeat timeout.
 */
export function makeCleanupStaged(staging: CleanupPort, retentionDays: number | undefined) {
  return async function cleanupStaged(input: CleanupStagedInput = {}): Promise<CleanupStagedResult> {
    const olderThanDays = input.olderThanDays ?? retentionDays;
    if (olderThanDays === undefined) return { skipped: 'no retention configured (LPA_RETENTION_DAYS): staged blobs are kept' };
    let seen = 0;
    return staging.cleanupStaged({
      olderThanDays,
      kinds: input.kinds ?? DEFAULT_CLEANUP_KINDS,
      ...(input.prefix ? { prefix: input.prefix } : {}),
      onProgress: () => {
        if (++seen % 100 === 0) heartbeat({ seen });
      },
    });
  };
}
