import { workBlobName, scopedWindowLabel, sourceOf } from '../model';
import type { BatchRef, StageBatchResult } from './contracts';
import type { ActivityDeps } from './ports';
import { heartbeat } from '../runtime/heartbeat';
import { sealConvertedItem } from '../runtime/seal-item';
import type { BatchFailure, ConvertedBatchFile, SealedRef, StagedBatchFile, StagedBatchItem } from '../pipeline/batch-files';

/**
 * Memory a seal holds: an item up to 8 MB is gathered and then written in one request (its blocks and the
 * request: twice its size); a larger one streams through a few 4 MB blocks.
 */
function stageMemory(size: number): number {
  return Math.min(2 * size, 16 * 2 ** 20);
}

/** Runs `fn` holding `bytes` of the worker's item memory (taking its turn if it is used up). */
async function withItemMemory<T>(deps: ActivityDeps, bytes: number, fn: () => Promise<T>): Promise<T> {
  const release = await deps.itemMemory?.take(bytes);
  try {
    return await fn();
  } finally {
    release?.();
  }
}

/**
 * stage: the batch's sealed archive items (written once, sha256 in metadata), one per converted message.
 * Convert seals each item as it builds it (see convert-batch.ts): stage passes those on. A converted file
 * from a worker before that names working copies in `work`: stage seals those, as it used to. Either way, a
 * sealed item that already exists with other bytes is kept and used, and the difference is recorded.
 */
export function makeStageBatch(deps: ActivityDeps) {
  return async function stageBatch(ref: BatchRef & { converted: string }): Promise<StageBatchResult> {
    const { config, window, page } = ref;
    const source = sourceOf(ref);
    const input = await deps.staging.getJson<ConvertedBatchFile>('work', ref.converted);
    const items: StagedBatchItem[] = [];
    const failures: BatchFailure[] = [...input.failures];
    const count = { created: 0, exists: 0, conflict: 0 };
    for (const { sealed: sealedByConvert, ...item } of input.items) {
      heartbeat();
      let sealed: SealedRef | { readonly failure: BatchFailure };
      if (sealedByConvert) sealed = sealedByConvert;
      else if (item.workEml !== undefined) {
        const workEml = item.workEml;
        sealed = await withItemMemory(deps, stageMemory(item.size), () =>
          sealConvertedItem(deps.staging, config, source, item, () => deps.staging.openBlobStream('work', workEml)),
        );
      } else throw new Error(`converted item ${item.conversationId} has neither a seal nor a working copy (a bug in convert)`);
      if ('failure' in sealed) {
        failures.push(sealed.failure);
        continue;
      }
      count[sealed.stagedStatus]++;
      items.push({ ...item, ...sealed });
    }
    const staged = workBlobName(config.name, scopedWindowLabel(window, ref.scope), page, 'staged', source);
    const file: StagedBatchFile = { items, failures };
    await deps.staging.putJson('work', staged, file);
    return { staged, created: count.created, existing: count.exists, conflicts: count.conflict };
  };
}
