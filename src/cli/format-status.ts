import type { ConnectorStatus } from '../model';

/** A human-readable view of the connector log for the terminal. */
export function formatStatus(s: ConnectorStatus): string {
  const t = s.totals;
  const lines = [
    `Connector        ${s.connector}`,
    `State            ${s.state}`,
    `Cursor           ${s.cursor}  (${formatLag(s.lagSeconds)} behind now)`,
    `Windows done     ${s.windowsDone}${s.currentWindow ? `  (now ${s.currentWindow.from} → ${s.currentWindow.to}, page ${s.currentWindow.page}/${s.currentWindow.pages ?? '?'})` : ''}`,
    ...(s.sweep && s.sweep.runs > 0
      ? [`Late arrivals    ${s.sweep.found} found by ${s.sweep.runs} sweeps (last ${new Date(s.sweep.lastAt).toISOString()})`]
      : []),
    '',
    `                 from source  for import  imported  partial  duplicates  failed`,
    `Total            ${row(t)}`,
    ...s.days.map((d) => `${d.day}       ${row(d.counts)}`),
  ];
  if (s.recentFailures.length > 0) {
    lines.push('', 'Recent failures (item, source user, Microsoft 365 user, reason):');
    for (const f of s.recentFailures) lines.push(`  ${f.day}  ${f.itemId}  ${f.sourceUser}  ${f.m365User}  ${f.reason}`);
  }
  if (s.lastError) lines.push('', `Last error: ${s.lastError}`);
  return lines.join('\n');
}

function row(c: ConnectorStatus['totals']): string {
  return [c.fromSource, c.forImport, c.imported, c.partial, c.skippedDuplicate, c.failed]
    .map((n, i) => String(n).padStart([11, 12, 10, 9, 12, 8][i]!))
    .join('');
}

function formatLag(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}
