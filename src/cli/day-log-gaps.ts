import type { LogRow } from './day-log';

/** A participant the log could not map to a mailbox, once per day, with how many items it affects. */
export interface UnmappedParticipant {
  readonly sourceUser: string;
  readonly reason: string;
  readonly items: number;
}

/** A failed row whose reason is a participant without a mailbox (a mapping gap, not a fault). */
export function isUnmappedRow(r: LogRow): boolean {
  return r.result === 'failed' && r.reason.startsWith('unmapped participant');
}

/** The unmapped participants of some log rows (as Microsoft's log reports them), sorted by source user id. */
export function unmappedParticipants(rows: readonly LogRow[]): UnmappedParticipant[] {
  const unmapped = new Map<string, { reason: string; items: number }>();
  for (const r of rows) {
    if (!isUnmappedRow(r)) continue;
    const u = unmapped.get(r.sourceUser) ?? { reason: r.reason, items: 0 };
    u.items++;
    unmapped.set(r.sourceUser, u);
  }
  return [...unmapped].sort((a, b) => a[0].localeCompare(b[0])).map(([sourceUser, u]) => ({ sourceUser, ...u }));
}

/** The rows that are faults: failed for another reason than a mapping gap, or imported partially. */
export function faultRows(rows: readonly LogRow[]): LogRow[] {
  return rows.filter((r) => (r.result === 'failed' && !isUnmappedRow(r)) || r.result === 'partial');
}
