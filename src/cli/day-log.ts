import { parse } from 'csv-parse/sync';
import { completenessBlobName, LOG_CSV_COLUMNS, LOG_CSV_LATER_COLUMNS, safeSegment, type LogResult } from '../model';
import type { CompletenessRecord } from '../pipeline/completeness';
import { CliError, UsageError } from './errors';
import { unmappedReason } from './unmapped';

/** One row of the per-day connector log, as import-page writes it. */
export type LogRow = Record<(typeof LOG_CSV_COLUMNS)[number], string>;

/** Counts in the shape of Microsoft's data connector log: forImport = imported + partial + skippedDuplicate + failed. */
export interface DayCounts {
  forImport: number;
  /** Participants outside the organisation, logged but not part of forImport. */
  external: number;
  imported: number;
  partial: number;
  skippedDuplicate: number;
  failed: number;
  /** Of `failed`: participants of the organisation without a usable mailbox (mapping gaps, not faults). */
  unmapped: number;
}

export interface DayLog {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly counts: DayCounts;
  /** Latest row time of the day (the import completion time), absent on a day without rows. */
  readonly completedAt?: string;
  readonly rows: readonly LogRow[];
  /** The day's completeness proof, once the connector has checked the day. */
  readonly completeness?: CompletenessRecord;
  /** The counts per source, on a day with legacy chat rows (`chat-` parts): messaging's and chat's add up to `counts`. */
  readonly bySource?: { readonly messaging: DayCounts; readonly chat: DayCounts };
}

/** The part of the blob staging the log reader needs. */
export interface LogStore {
  list(kind: 'logs', prefix: string): Promise<string[]>;
  getText(kind: 'logs', name: string): Promise<string>;
}

const RESULTS: Record<LogResult, keyof DayCounts> = {
  external: 'external',
  imported: 'imported',
  partial: 'partial',
  'skipped-duplicate': 'skippedDuplicate',
  failed: 'failed',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** Longest range one command reads (a little over LivePerson's 13 months). */
export const MAX_LOG_DAYS = 400;

/** The UTC days from `from` to `to` inclusive; default the last 7 days (Purview's log window). */
export function dayRange(from: string | undefined, to: string | undefined, now = Date.now()): string[] {
  const parseDay = (flag: string, v: string): number => {
    const t = DAY.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
    if (!Number.isFinite(t)) throw new UsageError(`${flag} must be a UTC day such as 2026-03-02, got "${v}".`);
    return t;
  };
  const end = to !== undefined ? parseDay('--to', to) : Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  const start = from !== undefined ? parseDay('--from', from) : end - 6 * DAY_MS;
  if (start > end) throw new UsageError(`--from (${from ?? '7 days before --to'}) is after --to (${to ?? 'today'}).`);
  const n = Math.round((end - start) / DAY_MS) + 1;
  if (n > MAX_LOG_DAYS) throw new UsageError(`The range holds ${n} days; read at most ${MAX_LOG_DAYS} at a time.`);
  return Array.from({ length: n }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}

/** The day's log: every part (one per window page) concatenated in name order, counted. */
export async function readDayLog(store: LogStore, connector: string, day: string): Promise<DayLog> {
  // The folder logPartBlobName(connector, day, …) writes into.
  const prefix = `${connectorLogPrefix(connector)}${day}/`;
  const counts = zeroDayCounts();
  const chat = zeroDayCounts();
  let chatParts = 0;
  const rows: LogRow[] = [];
  let completedAt: string | undefined;
  for (const name of await store.list('logs', prefix)) {
    if (!name.endsWith('.csv')) continue;
    // Legacy chat's parts share the day's folder, named `chat-…` (logPartBlobName).
    const isChat = name.slice(prefix.length).startsWith('chat-');
    if (isChat) chatParts++;
    const part = parsePart(name, await store.getText('logs', name));
    for (const { row, line } of part) {
      const key = RESULTS[row.result as LogResult] as keyof DayCounts | undefined;
      if (!key)
        throw new CliError(
          `Log part ${name} line ${line} has an unknown result "${row.result}"; the log is damaged (expected ${Object.keys(RESULTS).join(', ')}).`,
        );
      countRow(counts, key, row);
      if (isChat) countRow(chat, key, row);
      if (completedAt === undefined || row.time > completedAt) completedAt = row.time;
      rows.push(row);
    }
  }
  const completeness = await readCompleteness(store, connector, day);
  return {
    day,
    counts,
    rows,
    ...(completedAt !== undefined ? { completedAt } : {}),
    ...(completeness ? { completeness } : {}),
    ...(chatParts > 0 ? { bySource: { messaging: minusDayCounts(counts, chat), chat } } : {}),
  };
}

function zeroDayCounts(): DayCounts {
  return { forImport: 0, external: 0, imported: 0, partial: 0, skippedDuplicate: 0, failed: 0, unmapped: 0 };
}

function countRow(counts: DayCounts, key: keyof DayCounts, row: LogRow): void {
  counts[key]++;
  if (key !== 'external') counts.forImport++;
  if (key === 'failed' && unmappedReason(row.reason) !== undefined) counts.unmapped++;
}

function minusDayCounts(a: DayCounts, b: DayCounts): DayCounts {
  const out = zeroDayCounts();
  for (const k of Object.keys(out) as (keyof DayCounts)[]) out[k] = a[k] - b[k];
  return out;
}

/** The day's completeness proof (beside the day's folder of parts), if the connector has checked the day. */
async function readCompleteness(store: LogStore, connector: string, day: string): Promise<CompletenessRecord | undefined> {
  const name = completenessBlobName(connector, day);
  if (!(await store.list('logs', name)).includes(name)) return undefined;
  try {
    return JSON.parse(await store.getText('logs', name)) as CompletenessRecord;
  } catch (err) {
    throw new CliError(`The completeness proof ${name} is not valid JSON (${(err as Error).message}); it is damaged.`);
  }
}

/** The UTC days that have log parts among `names` (a listing of the connector's log prefix), sorted. */
export function daysInLogNames(names: readonly string[], connector: string): string[] {
  const prefix = connectorLogPrefix(connector);
  const days = names.map((n) => n.slice(prefix.length).split('/')).filter((p) => p.length > 1 && DAY.test(p[0] ?? ''));
  return [...new Set(days.map((p) => p[0]!))].sort();
}

/** The folder of one connector's log parts (logPartBlobName writes below it). */
export function connectorLogPrefix(connector: string): string {
  return `${safeSegment(connector)}/`;
}

function parsePart(name: string, text: string): { row: LogRow; line: number }[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse<{ record: Record<string, string>; info: { lines: number } }>(text, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      info: true,
    });
  } catch (err) {
    throw new CliError(`Log part ${name} is not valid CSV (${(err as Error).message}); the log is damaged.`);
  }
  return records.map(({ record, info }) => {
    for (const c of LOG_CSV_COLUMNS) {
      // A part written before a column was added reads it as empty.
      if (record[c] === undefined && LOG_CSV_LATER_COLUMNS.includes(c)) record[c] = '';
      if (typeof record[c] !== 'string')
        throw new CliError(`Log part ${name} has no "${c}" column (line ${info.lines}); expected ${LOG_CSV_COLUMNS.join(',')}.`);
    }
    return { row: record as LogRow, line: info.lines };
  });
}
