import { Readable } from 'node:stream';
import type { StagingPort } from '../activities/ports';
import { errorKind, itemBlobName, type ConnectorConfig, type ConversationSource } from '../model';
import type { BatchFailure, SealedRef } from '../pipeline/batch-files';
import { ItemConflictError } from '../storage/errors';
import { STREAMING_THRESHOLD_BYTES } from '../storage/streaming';
import { warn } from './heartbeat';

/** The item's bytes in memory (convert), or a way to open them as a stream (stage, from a working copy). */
export type ItemBytes = Buffer | (() => Promise<Readable>);

/**
 * Seals one converted message as the archive item of its conversation version (written once, sha256 in
 * metadata). If a sealed item already exists with other bytes, the sealed one is kept and used, and the
 * difference is recorded, never overwritten. An item that can never be stored as it is becomes a failure row.
 */
export async function sealConvertedItem(
  staging: StagingPort,
  config: ConnectorConfig,
  source: ConversationSource,
  item: { readonly conversationId: string; readonly version: string },
  bytes: ItemBytes,
): Promise<SealedRef | { readonly failure: BatchFailure }> {
  const name = itemBlobName(config.liveperson.accountId, item.conversationId, item.version, source);
  const metadata = {
    connector: config.name,
    accountid: config.liveperson.accountId,
    conversationid: encodeURIComponent(item.conversationId),
    version: encodeURIComponent(item.version),
    ...(source === 'chat' ? { source } : {}),
  };
  try {
    const staged = !Buffer.isBuffer(bytes)
      ? await staging.putItemOnceFromStream(name, await bytes(), metadata)
      : bytes.length <= STREAMING_THRESHOLD_BYTES
        ? await staging.putItemOnce(name, bytes, metadata)
        : await staging.putItemOnceFromStream(name, Readable.from([bytes]), metadata);
    return { itemBlob: name, sha256: staged.sha256, size: staged.size, stagedStatus: staged.status };
  } catch (err) {
    if (err instanceof ItemConflictError) {
      // Never overwritten: the sealed item stands and is imported; the difference is on record.
      warn('A sealed archive item differs from its re-conversion; the sealed item is kept', { item: name, error: err.message });
      const sealed = await staging.verifyItem(name);
      return { itemBlob: name, sha256: sealed.sha256, size: sealed.size, stagedStatus: 'conflict' };
    }
    if (errorKind(err) === 'item') {
      // This item can never be stored as it is: a failed row with the reason, the batch goes on.
      return {
        failure: {
          itemId: item.conversationId,
          version: item.version,
          sourceUser: '-',
          reason: `cannot be staged: ${(err as Error).message}`,
        },
      };
    }
    throw err;
  }
}
