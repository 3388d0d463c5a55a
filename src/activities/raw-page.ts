/**
 * Raw pages (container `raw`): the records of one batch as LivePerson sent them. Written as JSON lines, a
 * header line then one record per line, so convert reads one record at a time instead of parsing a batch of
 * several megabytes at once. Pages written as one JSON document (`RawPageFile`, before JSON lines) still read.
 */
import type { TimeWindow } from '../model';
import type { ActivityDeps } from './ports';
import type { RawPageFile } from './page-files';

export interface RawPageHeader {
  readonly format: 'json-lines';
  readonly window: TimeWindow;
  readonly page: number;
  readonly count: number;
}

export async function writeRawPage(
  deps: ActivityDeps,
  name: string,
  window: TimeWindow,
  page: number,
  records: readonly unknown[],
): Promise<void> {
  const header: RawPageHeader = { format: 'json-lines', window, page, count: records.length };
  function* lines(): Generator<unknown> {
    yield header;
    yield* records;
  }
  await deps.staging.putJsonLines('raw', name, lines());
}

/** The records of a raw page, one at a time. */
export async function* readRawRecords(deps: ActivityDeps, name: string): AsyncGenerator<unknown> {
  let first = true;
  for await (const value of deps.staging.readJsonLines('raw', name)) {
    if (first) {
      first = false;
      const legacy = (value as Partial<RawPageFile> | null)?.records;
      if (Array.isArray(legacy)) {
        yield* legacy;
        return;
      }
      continue; // the header line
    }
    yield value;
  }
}
