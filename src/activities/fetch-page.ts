import { inWindow, rawPageBlobName, scopedWindowLabel } from '../model';
import type { FetchPageResult, PageRef } from './contracts';
import type { ActivityDeps } from './deps';
import { mapErrors } from './errors';
import type { RawPageFile } from './page-files';

/** End time of a raw record, leniently: undefined when LivePerson did not give a usable one. */
export function rawEndTime(record: unknown): number | undefined {
  const info = (record as { info?: { endTimeL?: unknown } } | null)?.info;
  const v = info?.endTimeL;
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
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
      const pageSize = config.schedule.pageSize;
      const result = await deps.source(config).searchClosed(window, page * pageSize, pageSize);
      const records = result.records.filter((r) => {
        const end = rawEndTime(r);
        return end === undefined || inWindow(window, end);
      });
      if (records.length === 0) return { rawPage: '', kept: 0, totalCount: result.count };
      const name = rawPageBlobName(config.name, scopedWindowLabel(window, ref.scope), page);
      const file: RawPageFile = { window, page, records };
      await deps.staging.putJson('raw', name, file);
      return { rawPage: name, kept: records.length, totalCount: result.count };
    });
  };
}
