import { isObject, timeOf } from '../liveperson/normalize/lenient';
import { batchSizeOf, inWindow, rawPageBlobName, scopedWindowLabel } from '../model';
import type { FetchPageResult, PageRef } from './contracts';
import type { ActivityDeps } from './deps';
import { mapErrors } from './errors';
import { writeRawPage } from './raw-page';
import { seenInManifests } from './seen-conversations';

/**
 * End time of a raw record, leniently (`endTimeL`, else the `endTime` string): undefined when LivePerson gave
 * no usable one. Such a record is kept (and logged as failed by convert) rather than lost; if two adjacent
 * windows both receive it, it is logged in both.
 */
export function rawEndTime(record: unknown): number | undefined {
  const info = (record as { info?: unknown } | null)?.info;
  return isObject(info) ? timeOf(info, 'endTime') : undefined;
}

/** Conversation id of a raw record, leniently: empty when LivePerson gave none. */
export function rawConversationId(record: unknown): string {
  const id = (record as { info?: { conversationId?: unknown } } | null)?.info?.conversationId;
  return typeof id === 'string' ? id : '';
}

/**
 * fetch: one page of the covering query, filtered exactly to the window, saved as a raw page blob
 * (deterministic name, overwritten on retry). A record without a usable end time is kept, so that
 * convert logs it as failed instead of it vanishing.
 */
export function makeFetchPage(deps: ActivityDeps) {
  return async function fetchPage(ref: PageRef): Promise<FetchPageResult> {
    return mapErrors(async () => {
      const { config, window, page } = ref;
      // One batch: several LivePerson pages of at most 100 (the client splits the request).
      const batchSize = batchSizeOf(config);
      const result = await deps.source(config).searchClosed(window, page * batchSize, batchSize);
      let records = result.records.filter((r) => {
        const end = rawEndTime(r);
        return end === undefined || inWindow(window, end);
      });
      if (ref.skipSeenIn) {
        // A sweep: only what the windows before did not see (the version is the end time, as in normalize).
        const seen = await seenInManifests(deps, ref.skipSeenIn);
        records = records.filter((r) => {
          const end = rawEndTime(r);
          return end !== undefined && !seen.has(rawConversationId(r), String(end));
        });
      }
      if (records.length === 0) return { rawPage: '', kept: 0, totalCount: result.count };
      const name = rawPageBlobName(config.name, scopedWindowLabel(window, ref.scope), page);
      await writeRawPage(deps, name, window, page, records);
      return { rawPage: name, kept: records.length, totalCount: result.count };
    });
  };
}
