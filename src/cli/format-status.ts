import type { FailureRow } from '../model';
import { statusCompletenessLines } from './format-completeness';
import type { StatusView } from './status-view';
import { isoTime, type FormatTime } from './time-format';
import { unmappedFix, unmappedReason, unmappedWhy } from './unmapped';

/**
 * A human-readable view of the connector log for the terminal. Unmapped participants among the recent
 * failure rows are shown apart from the other failures, with why and the fix: they count as failed (as in
 * Microsoft's log) but are mapping gaps, not faults. Times follow `time` (ISO 8601 UTC by default).
 */
export function formatStatus(s: StatusView, time: FormatTime = isoTime): string {
  const t = s.totals;
  const lines = [
    `Connector        ${s.connector}`,
    `State            ${s.state}`,
    `Cursor           ${time(s.cursor)}  (${formatLag(s.lagSeconds)} behind ${time(s.asOf)})`,
    `Windows done     ${s.windowsDone}${s.currentWindow ? `  (now ${time(s.currentWindow.from)} → ${time(s.currentWindow.to)}, page ${s.currentWindow.page}/${s.currentWindow.pages ?? '?'})` : ''}`,
    ...(s.sweep && s.sweep.runs > 0
      ? [`Late arrivals    ${s.sweep.found} found by ${s.sweep.runs} sweeps (last ${time(s.sweep.lastAt)})`]
      : []),
    ...sourceLines(s, time),
    ...statusCompletenessLines(s.completeness, time),
    '',
    `                 from source  for import  imported  partial  duplicates  failed`,
    `Total            ${row(t)}`,
    ...(s.sources ? [`  messaging      ${row(s.sources.messaging.totals)}`, `  legacy chat    ${row(s.sources.chat.totals)}`] : []),
    ...s.days.map((d) => `${d.day}       ${row(d.counts)}`),
  ];
  const unmapped = s.recentFailures.filter((f) => unmappedReason(f.reason) !== undefined);
  const faults = s.recentFailures.filter((f) => unmappedReason(f.reason) === undefined);
  if (unmapped.length > 0) {
    lines.push(
      '',
      `Unmapped participants in the recent failure rows (mapping gaps, not faults; counted as failed, as in Microsoft's log):`,
    );
    for (const [user, g] of groupByUser(unmapped)) {
      const code = unmappedReason(g.reason) ?? '';
      lines.push(`  ${user}  ${g.rows} row${g.rows === 1 ? '' : 's'}  ${unmappedWhy(code)}: ${unmappedFix(code)}`);
    }
    lines.push(`  Exact counts per day: log ${s.connector}`);
  }
  if (faults.length > 0) {
    lines.push('', 'Recent failures (UTC day, item, source user, Microsoft 365 user id, reason):');
    for (const f of faults) lines.push(`  ${f.day}  ${f.itemId}  ${f.sourceUser}  ${f.m365User}  ${f.reason}`);
  }
  if (s.lastError) lines.push('', `Last error: ${s.lastError}`);
  return lines.join('\n');
}

/** With legacy chat: each source's own cursor (and its sweep), since the connector's cursor is the earlier one. */
function sourceLines(s: StatusView, time: FormatTime): string[] {
  if (!s.sources) return [];
  const line = (label: string, src: NonNullable<StatusView['sources']>['messaging']): string =>
    `  ${label}${time(src.cursor)}  (${formatLag(src.lagSeconds)} behind)${src.enabled ? '' : '  not collected (liveperson.sources)'}${
      src.sweep && src.sweep.runs > 0 ? `  · late arrivals ${src.sweep.found} found by ${src.sweep.runs} sweeps` : ''
    }`;
  return ['Per source', line('messaging      ', s.sources.messaging), line('legacy chat    ', s.sources.chat)];
}

function groupByUser(rows: readonly FailureRow[]): Map<string, { rows: number; reason: string }> {
  const out = new Map<string, { rows: number; reason: string }>();
  for (const f of rows) {
    const g = out.get(f.sourceUser) ?? { rows: 0, reason: f.reason };
    g.rows++;
    out.set(f.sourceUser, g);
  }
  return out;
}

function row(c: StatusView['totals']): string {
  return [c.fromSource, c.forImport, c.imported, c.partial, c.skippedDuplicate, c.failed]
    .map((n, i) => String(n).padStart([11, 12, 10, 9, 12, 8][i]!))
    .join('');
}

/** A lag in the largest unit that keeps it readable: 85 s, 12 min, 5 h, 3 d. */
export function formatLag(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}
