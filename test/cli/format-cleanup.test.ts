import type { CleanupStatus } from '../../src/cli/cleanup-status';
import { formatCleanup } from '../../src/cli/format-cleanup';

const zero = { raw: 0, work: 0, items: 0, manifests: 0, logs: 0 };
const scheduled: CleanupStatus = {
  scheduleId: 'lp-archive-cleanup-emea',
  scheduled: true,
  timing: 'every 1d at 03:00 UTC',
  paused: false,
  nextRunAt: '2026-06-02T03:00:00.000Z',
};
const run = { workflowId: 'lp-archive-cleanup-emea-2026-06-01T03:00:00Z', runId: 'r', startedAt: '2026-06-01T03:04:00.000Z' };

describe('the cleanup lines of connector status', () => {
  it('shows the schedule, the last run and what it deleted and kept', () => {
    const lines = formatCleanup('emea', {
      ...scheduled,
      lastRun: {
        ...run,
        status: 'completed',
        result: {
          connector: 'emea',
          retentionDays: 2557,
          cutoff: '2019-06-01T03:04:00.000Z',
          scanned: { ...zero, items: 9, manifests: 5, logs: 4 },
          deleted: { ...zero, items: 3, manifests: 2, logs: 1 },
          keptProtected: { ...zero, items: 4 },
          keptReferenced: { ...zero, items: 2 },
        },
      },
    });
    expect(lines).toEqual([
      'Cleanup          every 1d at 03:00 UTC, next 2026-06-02T03:00:00.000Z  [schedule lp-archive-cleanup-emea]',
      'Last cleanup     2026-06-01T03:04:00.000Z: completed, retention 2557 d (deleted what was last written before 2019-06-01T03:04:00.000Z)',
      '  deleted        3 items, 2 manifests, 1 logs',
      '  kept           4 items, 0 manifests, 0 logs under a legal hold or immutability policy; 2 items still referenced',
      '  scanned        9 items, 5 manifests, 4 logs',
    ]);
  });

  it('says that nothing is deleted when the worker has no retention, or when there is no schedule', () => {
    const skipped = formatCleanup('emea', {
      ...scheduled,
      lastRun: {
        ...run,
        status: 'completed',
        result: { connector: 'emea', skipped: 'retention not configured (LPA_RETENTION_DAYS): nothing is deleted' },
      },
    });
    expect(skipped[1]).toBe('Last cleanup     2026-06-01T03:04:00.000Z: retention not configured (LPA_RETENTION_DAYS): nothing is deleted');
    expect(formatCleanup('emea', { scheduleId: 'lp-archive-cleanup-emea', scheduled: false })[0]).toMatch(
      /not scheduled: nothing is ever deleted. Create its schedule with "connector schedule-cleanup emea"/,
    );
  });

  it('shows a failed run with its reason, a paused schedule with its note, and a status it could not read', () => {
    const failed = formatCleanup('emea', {
      ...scheduled,
      paused: true,
      note: 'paused by ops',
      lastRun: { ...run, status: 'failed', error: 'Cannot reach the blob store' },
    });
    expect(failed).toEqual([
      'Cleanup          every 1d at 03:00 UTC, paused (paused by ops)  [schedule lp-archive-cleanup-emea]',
      'Last cleanup     2026-06-01T03:04:00.000Z: failed: Cannot reach the blob store',
    ]);
    expect(formatCleanup('emea', scheduled)[1]).toBe('Last cleanup     not run yet');
    expect(formatCleanup('emea', { scheduleId: 'x', scheduled: false, error: 'permission denied' })).toEqual([
      'Cleanup          could not be read (permission denied)',
    ]);
  });
});
