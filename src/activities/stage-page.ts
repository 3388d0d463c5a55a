import { itemBlobName, workBlobName, scopedWindowLabel } from '../model';
import type { PageRef, StagePageResult } from './contracts';
import type { ActivityDeps } from './deps';
import { mapErrors } from './errors';
import { heartbeat, warn } from './heartbeat';
import type { ConvertedPageFile, StagedPageFile, StagedPageItem } from './page-files';

/**
 * stage: seal each converted message as the archive item of its conversation version (written once,
 * sha256 in metadata). If a sealed item already exists with other bytes, the sealed one is kept and used,
 * and the difference is recorded, never overwritten.
 */
export function makeStagePage(deps: ActivityDeps) {
  return async function stagePage(ref: PageRef & { converted: string }): Promise<StagePageResult> {
    return mapErrors(async () => {
      const { config, window, page } = ref;
      const input = await deps.staging.getJson<ConvertedPageFile>('work', ref.converted);
      const items: StagedPageItem[] = [];
      let created = 0;
      let existing = 0;
      let conflicts = 0;
      for (const item of input.items) {
        heartbeat();
        const name = itemBlobName(config.liveperson.accountId, item.conversationId, item.version);
        try {
          const source = await deps.staging.openBlobStream('work', item.workEml);
          const staged = await deps.staging.putItemOnceFromStream(name, source, {
            connector: config.name,
            accountid: config.liveperson.accountId,
            conversationid: item.conversationId,
            version: item.version,
          });
          if (staged.status === 'created') created++;
          else existing++;
          items.push({ ...item, itemBlob: name, sha256: staged.sha256, size: staged.size, stagedStatus: staged.status });
        } catch (err) {
          if ((err as Error).name !== 'ItemConflictError') throw err;
          // Never overwritten: the sealed item stands and is imported; the difference is on record.
          warn('A sealed archive item differs from its re-conversion; the sealed item is kept', { item: name, error: (err as Error).message });
          conflicts++;
          const sealed = await deps.staging.verifyItem(name);
          items.push({ ...item, itemBlob: name, sha256: sealed.sha256, size: sealed.size, stagedStatus: 'conflict' });
        }
      }
      const staged = workBlobName(config.name, scopedWindowLabel(window, ref.scope), page, 'staged');
      const file: StagedPageFile = { items, failures: input.failures };
      await deps.staging.putJson('work', staged, file);
      return { staged, created, existing, conflicts };
    });
  };
}
