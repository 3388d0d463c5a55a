/**
 * Raw MI records injected verbatim through `POST /_emulator/records`: hostile or malformed input for tests
 * (wrong types, missing sections, absurd sizes) that the generator would never produce. Search finds them
 * by the end and start times given at injection, not by what the record claims, so a record whose own
 * `info.endTimeL` is text or missing is still returned for its window.
 */

/** One injected record, served as it was given. */
export interface RawRecordEntry {
  /** Injection order: the tie-breaker when two records end at the same instant. */
  readonly seq: number;
  /** Search end time (epoch ms). */
  readonly endTime: number;
  /** Search start time (epoch ms). */
  readonly startTime: number;
  /** Searchable from this time on (the ingestion lag, unless injected as visible at once). */
  readonly visibleAt: number;
  /** `info.conversationId` when it is a non-empty string: get-by-id and the file listing find the record by it. */
  readonly conversationId?: string;
  /** The record, exactly as injected (any JSON value). */
  readonly record: unknown;
}

/** The conversation id a record claims, when it is a non-empty string. */
export function claimedConversationId(record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const info = (record as { info?: unknown }).info;
  if (typeof info !== 'object' || info === null) return undefined;
  const id = (info as { conversationId?: unknown }).conversationId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** The injected records, in end-time order. Small by design: tests inject tens, not millions. */
export class RawRecordStore {
  private readonly entries: RawRecordEntry[] = [];
  private seq = 0;

  add(record: unknown, times: { readonly endTime: number; readonly startTime: number; readonly visibleAt: number }): RawRecordEntry {
    const id = claimedConversationId(record);
    const entry: RawRecordEntry = { seq: this.seq++, ...times, ...(id !== undefined ? { conversationId: id } : {}), record };
    this.entries.push(entry);
    this.entries.sort((a, b) => a.endTime - b.endTime || a.seq - b.seq);
    return entry;
  }

  /** Records with end in [from, to] (inclusive, like the generated store) visible at `now`. */
  visibleBetween(from: number, to: number, now: number): RawRecordEntry[] {
    return this.entries.filter((e) => e.endTime >= from && e.endTime <= to && e.visibleAt <= now);
  }

  /** The last injected record claiming this id (a duplicate id replaces the earlier one for get-by-id). */
  get(conversationId: string): RawRecordEntry | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e?.conversationId === conversationId) return e;
    }
    return undefined;
  }

  /** Everything injected, in end order (for the inspection endpoint). */
  all(): readonly RawRecordEntry[] {
    return this.entries;
  }

  get size(): number {
    return this.entries.length;
  }
}

/** `messageData.file.relativePath` of each HOSTED_FILE message of a raw record that has such a shape. */
export function hostedFilePathsOf(record: unknown): string[] {
  if (typeof record !== 'object' || record === null) return [];
  const messages = (record as { messageRecords?: unknown }).messageRecords;
  if (!Array.isArray(messages)) return [];
  const out: string[] = [];
  for (const m of messages as unknown[]) {
    if (typeof m !== 'object' || m === null) continue;
    const { type, messageData } = m as { type?: unknown; messageData?: unknown };
    if (type !== 'HOSTED_FILE' || typeof messageData !== 'object' || messageData === null) continue;
    const file = (messageData as { file?: unknown }).file;
    const path = typeof file === 'object' && file !== null ? (file as { relativePath?: unknown }).relativePath : undefined;
    if (typeof path === 'string' && path.length > 0) out.push(path);
  }
  return out;
}
