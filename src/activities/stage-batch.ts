import { errorKind, itemBlobName, workBlobName, scopedWindowLabel, sourceOf } from '../model';
import { ItemConflictError } from '../storage/errors';
import type { BatchRef, StageBatchResult } from './contracts';
import type { ActivityDeps } from './ports';
import { heartbeat, warn } from '../runtime/heartbeat';
import type { BatchFailure, ConvertedBatchFile, StagedBatchFile, StagedBatchItem } from '../pipeline/batch-files';

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
 * stage: seal each converted message as the archive item of its conversation version (written once,
 * sha256 in metadata). If a sealed item already exists with other bytes, the sealed one is kept and used,
 * and the difference is recorded, never overwritten.
 */
export function makeStageBatch(deps: ActivityDeps) {
  return async function stageBatch(ref: BatchRef & { converted: string }): Promise<StageBatchResult> {
    const { config, window, page } = ref;
    const source = sourceOf(ref);
    const input = await deps.staging.getJson<ConvertedBatchFile>('work', ref.converted);
    const items: StagedBatchItem[] = [];
    const failures: BatchFailure[] = [...input.failures];
    let created = 0;
    let existing = 0;
    let conflicts = 0;
    for (const item of input.items) {
      heartbeat();
      const name = itemBlobName(config.liveperson.accountId, item.conversationId, item.version, source);
      try {
        const staged = await withItemMemory(deps, stageMemory(item.size), async () =>
          deps.staging.putItemOnceFromStream(name, await deps.staging.openBlobStream('work', item.workEml), {
            connector: config.name,
            accountid: config.liveperson.accountId,
            conversationid: encodeURIComponent(item.conversationId),
            version: encodeURIComponent(item.version),
            ...(source === 'chat' ? { source } : {}),
          }),
        );
        if (staged.status === 'created') created++;
        else existing++;
        items.push({ ...item, itemBlob: name, sha256: staged.sha256, size: staged.size, stagedStatus: staged.status });
      } catch (err) {
        if (err instanceof ItemConflictError) {
          // Never overwritten: the sealed item stands and is imported; the difference is on record.
          warn('A sealed archive item differs from its re-conversion; the sealed item is kept', { item: name, error: err.message });
          conflicts++;
          const sealed = await deps.staging.verifyItem(name);
          items.push({ ...item, itemBlob: name, sha256: sealed.sha256, size: sealed.size, stagedStatus: 'conflict' });
          continue;
        }
        if (errorKind(err) === 'item') {
          // This item can never be stored as it is: a failed row with the reason, the batch goes on.
          failures.push({
            itemId: item.conversationId,
            version: item.version,
            sourceUser: '-',
            reason: `cannot be staged: ${(err as Error).message}`,
          });
          continue;
        }
        throw err;
      }
    }
    const staged = workBlobName(config.name, scopedWindowLabel(window, ref.scope), page, 'staged', source);
    const file: StagedBatchFile = { items, failures };
    await deps.staging.putJson('work', staged, file);
    return { staged, created, existing, conflicts };
  };
}
