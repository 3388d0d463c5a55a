import { downloadHostedFiles, hostedFileRefs } from '../liveperson/hosted-files';
import { workBlobName, scopedWindowLabel, sourceOf } from '../model';
import type { BatchFailure, ConvertedBatchFile, ConvertedItem } from '../pipeline/batch-files';
import { fileBudget, itemFailure, itemWithFiles, planItem, routingParticipants, type PlannedItem } from '../pipeline/item-plan';
import { heartbeat, withKeepAlive } from '../runtime/heartbeat';
import { sealConvertedItem } from '../runtime/seal-item';
import { readRawRecords } from '../storage/raw-batches';
import type { BatchRef, ConvertBatchResult } from './contracts';
import type { ActivityDeps } from './ports';

/** Memory a conversion holds per byte of its downloaded files and the message without them: the files, the message built from them. */
const CONVERT_MEMORY_PER_BYTE = 2.5;

/**
 * convert: each raw record → normalised conversation → RFC 5322 message (the rules: pipeline/item-plan.ts),
 * sealed at once as the archive item of its conversation version (runtime/seal-item.ts), so the item is built,
 * hashed and written once. A record that cannot be converted becomes a failure row with its reason; the batch
 * goes on. Hosted files are downloaded and attached; one that cannot be had makes the item partial.
 */
export function makeConvertBatch(deps: ActivityDeps) {
  return async function convertBatch(ref: BatchRef & { rawPage: string }): Promise<ConvertBatchResult> {
    return withKeepAlive(async () => {
      const { config, window, page } = ref;
      const rules = {
        normalize: {
          accountId: config.liveperson.accountId,
          users: await deps.users(config),
          allowUnauthenticatedSdeRouting: config.liveperson.allowUnauthenticatedSdeRouting,
        },
        maxItemBytes: config.limits.maxItemBytes,
        source: sourceOf(ref),
      };
      const label = scopedWindowLabel(window, ref.scope);
      const items: ConvertedItem[] = [];
      const failures: BatchFailure[] = [];
      const seen = new Set<string>();
      for await (const record of readRawRecords(deps.staging, ref.rawPage)) {
        heartbeat();
        const planned = planItem(record, rules);
        if ('failure' in planned) {
          failures.push(planned.failure);
          continue;
        }
        const { conv } = planned;
        // The same conversation version twice in a batch: keep the first; never let the second overwrite it.
        const versionKey = `${conv.conversationId}\u0000${conv.version}`;
        if (seen.has(versionKey)) {
          failures.push(itemFailure(conv, 'duplicate record of a conversation version already in this batch; the first one is archived'));
          continue;
        }
        seen.add(versionKey);
        const { item, release } = await withHostedFiles(deps, ref, planned, record);
        let sealed: Awaited<ReturnType<typeof sealConvertedItem>>;
        try {
          if (typeof item === 'string') {
            failures.push(itemFailure(conv, item));
            continue;
          }
          // Sealed here, from the bytes just built: no working copy to write, read back and hash again in stage.
          sealed = await sealConvertedItem(deps.staging, config, rules.source, conv, item.base.eml);
        } finally {
          release?.();
        }
        if ('failure' in sealed) {
          failures.push(sealed.failure);
          continue;
        }
        items.push({
          conversationId: conv.conversationId,
          version: conv.version,
          endTime: conv.endTime,
          size: item.base.size,
          partialReasons: item.conv.partialReasons,
          participants: routingParticipants(item.conv),
          sealed,
        });
      }
      const converted = workBlobName(config.name, label, page, 'converted', rules.source);
      const file: ConvertedBatchFile = { items, failures };
      await deps.staging.putJson('work', converted, file);
      return { converted, items: items.length, failed: failures.length };
    });
  };
}

/**
 * The item with its hosted files. Downloads happen outside the item rules, so throttling and outages go up
 * and the activity retries; a file that cannot be had comes back as a partial reason instead. The files, and
 * the message built from them, take their turn in the worker's item memory until the caller releases it.
 */
async function withHostedFiles(
  deps: ActivityDeps,
  ref: BatchRef,
  planned: PlannedItem,
  record: unknown,
): Promise<{ item: PlannedItem | string; release?: () => void }> {
  const { config } = ref;
  const refs = hostedFileRefs(planned.conv);
  if (refs.length === 0) return { item: planned };
  const max = config.limits.maxItemBytes;
  const got = await downloadHostedFiles(planned.conv, deps.files(config), {
    maxTotalBytes: fileBudget(max, planned.base.size, refs.length),
    onFile: () => heartbeat(),
  });
  const fileBytes = got.files.reduce((n, f) => n + f.bytes.byteLength, 0);
  const held = fileBytes === 0 ? undefined : await deps.itemMemory?.take(CONVERT_MEMORY_PER_BYTE * (planned.base.size + fileBytes));
  try {
    return { item: itemWithFiles(planned, record, got, max), ...(held ? { release: held } : {}) };
  } catch (err) {
    held?.();
    throw err;
  }
}
