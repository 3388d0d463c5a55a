import type { CompletenessView } from './status-view';
import type { CompletenessRecord } from '../pipeline/completeness';
import type { FormatTime } from './time-format';

/** Missing ids printed per day in text (the JSON and CSV outputs list them all). */
const IDS_SHOWN = 10;

/** The completeness proof of a day, as the `log` text prints it under the counts. */
export function completenessLines(r: CompletenessRecord | undefined, time: FormatTime): string[] {
  if (!r) return ['  Completeness                   not checked yet (a day is checked once it is older than the late-arrival sweep)'];
  const counts = `${r.reported} closed in LivePerson: ${r.archived} archived, ${r.failed} failed (logged)`;
  if (r.status === 'complete') return [`  Completeness                   complete, ${counts} (checked ${time(r.checkedAt)})`];
  return [
    `  Completeness                   INCOMPLETE, ${counts}, ${r.missing.length} not archived yet (checked ${time(r.checkedAt)})`,
    ...r.missing
      .slice(0, IDS_SHOWN)
      .map((m) => `    not archived: ${m.conversationId} (closed ${time(new Date(Number(m.version)).toISOString())})`),
    ...(r.missing.length > IDS_SHOWN ? [`    … and ${r.missing.length - IDS_SHOWN} more (-o json or -o csv lists them all)`] : []),
    `    LivePerson reports these as closed in the day, but no window archived them; the connector archives them at its next check.`,
  ];
}

/** The completeness proof in `connector status`: incomplete days first, with their missing ids. */
export function statusCompletenessLines(c: CompletenessView | undefined, time: FormatTime): string[] {
  if (!c) return [];
  const incomplete = c.open.filter((d) => d.status === 'incomplete');
  const complete = [...c.settled, ...c.open].filter((d) => d.status === 'complete').map((d) => d.day);
  const expired = c.settled.filter((d) => d.status === 'expired').map((d) => d.day);
  const lines = [
    `Completeness     ${incomplete.length === 0 ? 'every checked day complete' : `${incomplete.length} day${incomplete.length === 1 ? '' : 's'} INCOMPLETE`}` +
      ` (checked up to ${c.nextDay} exclusive, last ${time(c.lastAt)}; ${c.foundLate} found late and archived)`,
  ];
  for (const d of incomplete) {
    const more = d.missingTotal > d.missing.length ? ` … and ${d.missingTotal - d.missing.length} more` : '';
    lines.push(`  ${d.day}  ${d.missingTotal} of ${d.reported} not archived: ${d.missing.join(', ')}${more}`);
  }
  if (complete.length > 0) lines.push(`  complete: ${complete.sort().join(', ')}`);
  if (expired.length > 0) lines.push(`  not checked, past the worker's retention (LPA_RETENTION_DAYS): ${expired.sort().join(', ')}`);
  return lines;
}
