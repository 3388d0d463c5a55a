/**
 * The connector log, in the shape of Microsoft's data connector admin log: counts that always add up
 * (`forImport = imported + partial + skippedDuplicate + failed`) and one row per failure.
 * Only opaque ids go here (conversation id, LivePerson user id, Microsoft 365 object id): it travels in
 * workflow history and query results, which must hold no personal data.
 */

export interface LogCounts {
  /** Conversation versions collected from LivePerson. */
  fromSource: number;
  /** Items after fan-out to participants (one per conversation and target mailbox, plus unroutable ones). */
  forImport: number;
  imported: number;
  /** Imported, but something (e.g. a file) is missing; the reason is in the failure rows. */
  partial: number;
  skippedDuplicate: number;
  failed: number;
}

export interface FailureRow {
  readonly day: string;
  readonly itemId: string;
  readonly sourceUser: string;
  readonly m365User: string;
  readonly reason: string;
}

export function zeroCounts(): LogCounts {
  return { fromSource: 0, forImport: 0, imported: 0, partial: 0, skippedDuplicate: 0, failed: 0 };
}

export function addCounts(a: LogCounts, b: LogCounts): LogCounts {
  return {
    fromSource: a.fromSource + b.fromSource,
    forImport: a.forImport + b.forImport,
    imported: a.imported + b.imported,
    partial: a.partial + b.partial,
    skippedDuplicate: a.skippedDuplicate + b.skippedDuplicate,
    failed: a.failed + b.failed,
  };
}

/** `a − b`, field by field: messaging's share of totals that also hold chat's. */
export function subtractCounts(a: LogCounts, b: LogCounts): LogCounts {
  return {
    fromSource: a.fromSource - b.fromSource,
    forImport: a.forImport - b.forImport,
    imported: a.imported - b.imported,
    partial: a.partial - b.partial,
    skippedDuplicate: a.skippedDuplicate - b.skippedDuplicate,
    failed: a.failed - b.failed,
  };
}

/** The reconciliation rule an auditor checks. */
export function countsAddUp(c: LogCounts): boolean {
  return c.forImport === c.imported + c.partial + c.skippedDuplicate + c.failed;
}

/**
 * CSV header of the per-day log kept in blob storage. `m365User` is the Microsoft 365 user's object id,
 * `m365Upn` its user principal name (the name a reader knows), `time` ISO 8601 UTC.
 */
export const LOG_CSV_COLUMNS = ['time', 'result', 'itemId', 'version', 'sourceUser', 'm365User', 'm365Upn', 'reason'] as const;
/** Columns added after the first release: log parts written before lack them, and they read as empty. */
export const LOG_CSV_LATER_COLUMNS: readonly (typeof LOG_CSV_COLUMNS)[number][] = ['m365Upn'];
/** `external`: a participant outside the organisation (no mailbox expected); logged, not counted. */
export type LogResult = 'imported' | 'partial' | 'skipped-duplicate' | 'failed' | 'external';

const ADDRESS = /[^\s@<>(),;:"']+@[^\s@<>(),;:"']+/g;

/** Replaces e-mail addresses in a text that will travel into workflow history or query results. */
export function redactAddresses(text: string): string {
  return text.replace(ADDRESS, '<address>');
}
