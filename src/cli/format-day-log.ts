import { stringify } from 'csv-stringify/sync';
import { LOG_CSV_COLUMNS } from '../model';
import { usDate, type DayLog } from './day-log';
import { faultRows, unmappedParticipants } from './day-log-gaps';

/** One day in the shape of Microsoft's data connector admin log: header counts, then one line per failure. */
export function formatDayLog(connector: string, d: DayLog): string {
  if (d.rows.length === 0) return `No items ingested on ${usDate(d.day)}`;
  const c = d.counts;
  const lines = [
    `Log of connector ${connector} for ${usDate(d.day)} (UTC)`,
    `  Import completion time (UTC)   ${d.completedAt ?? '-'}`,
    `  Items available for import     ${c.forImport}`,
    `  Items imported successfully    ${c.imported}`,
    `  Items partially imported       ${c.partial}`,
    `  Items skipped (duplicates)     ${c.skippedDuplicate}`,
    `  Items failed                   ${c.failed}`,
    `  External participants (logged, not counted)  ${c.external}`,
  ];
  // Unmapped participants are reported once per day (as Microsoft's log does), with the items they affect.
  const unmapped = unmappedParticipants(d.rows);
  if (unmapped.length > 0) {
    lines.push(`  Unmapped participants (${unmapped.length}): source user id | items | reason`);
    for (const u of unmapped) lines.push(`  ${u.sourceUser} | ${u.items} | ${u.reason}`);
  }
  const failures = faultRows(d.rows);
  if (failures.length > 0) {
    lines.push('  Item id | Source user id | Microsoft 365 user id | Result | Failure reason');
    for (const r of failures) lines.push(`  ${r.itemId} | ${r.sourceUser} | ${r.m365User} | ${r.result} | ${r.reason}`);
  }
  return lines.join('\n');
}

/** Every row of the days as one CSV with a leading `day` column (for spreadsheets and Purview-style review). */
export function dayLogsCsv(days: readonly DayLog[]): string {
  return stringify(
    days.flatMap((d) => d.rows.map((r) => [d.day, ...LOG_CSV_COLUMNS.map((c) => r[c])])),
    { header: true, columns: ['day', ...LOG_CSV_COLUMNS] },
  );
}
