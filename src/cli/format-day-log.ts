import { stringify } from 'csv-stringify/sync';
import { LOG_CSV_COLUMNS } from '../model';
import type { DayLog, LogRow } from './day-log';
import { faultRows, unmappedParticipants } from './day-log-gaps';
import { completenessLines } from './format-completeness';
import { isoTime, type FormatTime } from './time-format';
import { failedSplit, unmappedFix, unmappedReason, unmappedWhy } from './unmapped';

/** A Microsoft 365 user as a reader knows it: the UPN with the object id, or the object id alone (older rows). */
export function m365UserLabel(row: Pick<LogRow, 'm365User' | 'm365Upn'>): string {
  if (row.m365User === '-' || row.m365User === '') return '-';
  return row.m365Upn ? `${row.m365Upn} (${row.m365User})` : row.m365User;
}

/**
 * One day in the shape of Microsoft's data connector admin log: header counts, then the unmapped
 * participants (counted as failed, as Microsoft's log does, but shown apart with their fix), then one line
 * per other failure. Days are UTC days (YYYY-MM-DD); times follow `time` (ISO 8601 UTC by default).
 */
export function formatDayLog(connector: string, d: DayLog, time: FormatTime = isoTime): string {
  if (d.rows.length === 0)
    return [`No items ingested on ${d.day} (UTC day)`, ...(d.completeness ? completenessLines(d.completeness, time) : [])].join('\n');
  const c = d.counts;
  const lines = [
    `Log of connector ${connector} for ${d.day} (UTC day)`,
    `  Import completion time         ${d.completedAt ? time(d.completedAt) : '-'}`,
    `  Items available for import     ${c.forImport}`,
    `  Items imported successfully    ${c.imported}`,
    `  Items partially imported       ${c.partial}`,
    `  Items skipped (duplicates)     ${c.skippedDuplicate}`,
    `  Items failed                   ${c.failed}${failedSplit(c.failed, c.unmapped)}`,
    `  External participants (logged, not counted)  ${c.external}`,
    ...(d.bySource
      ? [
          `  Per source (available / imported / partial / duplicates / failed)`,
          `    messaging                    ${sourceRow(d.bySource.messaging)}`,
          `    legacy chat                  ${sourceRow(d.bySource.chat)}`,
        ]
      : []),
    ...completenessLines(d.completeness, time),
  ];
  // Unmapped participants once per day (as Microsoft's log reports them), with the items they affect and the fix.
  const unmapped = unmappedParticipants(d.rows);
  if (unmapped.length > 0) {
    lines.push(
      '',
      `  Unmapped participants (${unmapped.length}): mapping gaps, not faults; their items count as failed, as in Microsoft's log`,
      '  Source user id | items | why | fix',
    );
    for (const u of unmapped) {
      const code = unmappedReason(u.reason) ?? '';
      // The row's own detail names the participant and the user; older rows without one get the reason in words.
      const detail = u.reason.replace(/^unmapped participant \([a-z-]+\):?\s*/, '');
      lines.push(`  ${u.sourceUser} | ${u.items} | ${detail || unmappedWhy(code)} | ${unmappedFix(code)}`);
    }
  }
  const failures = faultRows(d.rows);
  if (failures.length > 0) {
    lines.push('', `  Other failures (${failures.length})`, '  Item id | Source user id | Microsoft 365 user | Result | Failure reason');
    for (const r of failures) lines.push(`  ${r.itemId} | ${r.sourceUser} | ${m365UserLabel(r)} | ${r.result} | ${r.reason}`);
  }
  return lines.join('\n');
}

function sourceRow(c: DayLog['counts']): string {
  return [c.forImport, c.imported, c.partial, c.skippedDuplicate, c.failed].join(' / ');
}

/**
 * Every row of the days as one CSV with a leading `day` column (for spreadsheets and Purview-style review):
 * the stored columns, times in ISO 8601 UTC, days as YYYY-MM-DD; rows of older parts have an empty m365Upn. A
 * checked day ends with its completeness rows.
 */
export function dayLogsCsv(days: readonly DayLog[]): string {
  return stringify(
    days.flatMap((d) => [...d.rows.map((r) => [d.day, ...LOG_CSV_COLUMNS.map((c) => r[c])]), ...completenessCsvRows(d)]),
    { header: true, columns: ['day', ...LOG_CSV_COLUMNS] },
  );
}

/**
 * The day's completeness proof as CSV rows after the item rows: one `day-complete` / `day-incomplete` row with the
 * counts in `reason`, then one `not-archived` row per missing conversation version. Not items: no count includes them.
 */
function completenessCsvRows(d: DayLog): string[][] {
  const r = d.completeness;
  if (!r) return [];
  const row = (result: string, itemId: string, version: string, reason: string): string[] => [
    d.day,
    ...LOG_CSV_COLUMNS.map((c) => ({ time: r.checkedAt, result, itemId, version, sourceUser: '-', m365User: '-', m365Upn: '', reason })[c]),
  ];
  const counts = `${r.reported} closed in LivePerson: ${r.archived} archived, ${r.failed} failed, ${r.missing.length} not archived`;
  return [
    row(r.status === 'complete' ? 'day-complete' : 'day-incomplete', '-', '-', counts),
    ...r.missing.map((m) => row('not-archived', m.conversationId, m.version, 'reported closed by LivePerson, in no window manifest yet')),
  ];
}
