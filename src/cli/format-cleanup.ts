import type { EnsuredSchedule } from './cleanup-schedule';
import type { CleanupStatus } from './cleanup-status';
import { describeTiming } from './cleanup-timing';
import { isoTime, type FormatTime } from './time-format';

const KINDS = ['items', 'manifests', 'logs'] as const;

/** The retention-cleanup lines of `connector status`: when it runs, when it last ran, and what that run removed. */
export function formatCleanup(connector: string, c: CleanupStatus, time: FormatTime = isoTime): string[] {
  if (c.error) return [`Cleanup          could not be read (${c.error})`];
  if (!c.scheduled)
    return [
      `Cleanup          not scheduled: nothing is ever deleted. Create its schedule with "connector schedule-cleanup ${connector}"`,
      `                 (or "connector start <config>", which creates it for every connector it starts).`,
    ];
  const when = c.paused ? `paused${c.note ? ` (${c.note})` : ''}` : `next ${c.nextRunAt ? time(c.nextRunAt) : '(none planned)'}`;
  const lines = [`Cleanup          ${c.timing ?? 'custom schedule'}, ${when}  [schedule ${c.scheduleId}]`];
  const run = c.lastRun;
  if (!run) return [...lines, `Last cleanup     not run yet`];
  const r = run.result;
  if (run.status === 'completed' && r) {
    if (r.skipped !== undefined) return [...lines, `Last cleanup     ${time(run.startedAt)}: ${r.skipped}`];
    const list = (counts: Readonly<Record<string, number>>) => KINDS.map((k) => `${counts[k] ?? 0} ${k}`).join(', ');
    return [
      ...lines,
      `Last cleanup     ${time(run.startedAt)}: completed, retention ${r.retentionDays} d (deleted what was last written before ${time(r.cutoff)})`,
      `  deleted        ${list(r.deleted)}`,
      `  kept           ${list(r.keptProtected)} under a legal hold or immutability policy; ${r.keptReferenced.items ?? 0} items still referenced`,
      `  scanned        ${list(r.scanned)}`,
    ];
  }
  if (run.status === 'running') return [...lines, `Last cleanup     running since ${time(run.startedAt)}`];
  return [...lines, `Last cleanup     ${time(run.startedAt)}: ${run.status}${run.error ? `: ${run.error}` : ''}`];
}

/** One line on the cleanup schedule, e.g. `Retention cleanup: schedule lp-archive-cleanup-x created (every 1d at 03:00 UTC)`. */
export function scheduleLine(name: string, s: EnsuredSchedule): string {
  const timing = s.timing ? describeTiming(s.timing) : 'custom timing';
  return `Retention cleanup of "${name}": schedule ${s.scheduleId} ${s.outcome} (${timing}; see "connector status ${name}").`;
}
