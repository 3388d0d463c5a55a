/**
 * Raw batches (container `raw`): the records of one batch as LivePerson sent them. Written as JSON lines, a
 * header line then one record per line, so convert reads one record at a time instead of parsing a batch of
 * several megabytes at once. Batches written as one JSON document (before JSON lines) still read.
 */
import type { TimeWindow } from '../model';
import type { BlobKind } from './types';

/** The part of the staging store raw batches need. */
export interface JsonLinesStore {
  putJsonLines(kind: BlobKind, name: string, values: Iterable<unknown>): Promise<void>;
  readJsonLines(kind: BlobKind, name: string): AsyncIterable<unknown>;
}

export interface RawBatchHeader {
  readonly format: 'json-lines';
  readonly window: TimeWindow;
  /** The batch's number in its window (named `page` in the stored header). */
  readonly page: number;
  readonly count: number;
}

export async function writeRawBatch(
  store: JsonLinesStore,
  name: string,
  window: TimeWindow,
  batch: number,
  records: readonly unknown[],
): Promise<void> {
  const header: RawBatchHeader = { format: 'json-lines', window, page: batch, count: records.length };
  function* lines(): Generator<unknown> {
    yield header;
    yield* records;
  }
  await store.putJsonLines('raw', name, lines());
}

/** The records of a raw batch, one at a time. */
export async function* readRawRecords(store: JsonLinesStore, name: string): AsyncGenerator<unknown> {
  let first = true;
  for await (const value of store.readJsonLines('raw', name)) {
    if (first) {
      first = false;
      const legacy = (value as { records?: unknown } | null)?.records;
      if (Array.isArray(legacy)) {
        yield* legacy as unknown[];
        return;
      }
      continue; // the header line
    }
    yield value;
  }
}
