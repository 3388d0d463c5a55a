import { formatStatus } from '../../src/cli/format-status';
import { statusAt } from '../../src/cli/status-view';
import { isoTime, timeFormatter } from '../../src/cli/time-format';
import type { ConnectorStatus } from '../../src/model';

const zero = { fromSource: 0, forImport: 0, imported: 0, partial: 0, skippedDuplicate: 0, failed: 0 };
const CURSOR = Date.parse('2026-03-02T10:00:00.000Z');

/** A status as the workflow's query answers it: its lag computed at its last workflow task, sweep times in epoch ms. */
function answered(over: Partial<ConnectorStatus> = {}): ConnectorStatus {
  return {
    connector: 'emea',
    state: 'live',
    cursor: new Date(CURSOR).toISOString(),
    lagSeconds: 61,
    windowsDone: 12,
    totals: { ...zero, fromSource: 10, forImport: 12, imported: 9, failed: 3 },
    days: [{ day: '2026-03-02', counts: { ...zero, fromSource: 10, forImport: 12, imported: 9, failed: 3 } }],
    recentFailures: [
      {
        day: '2026-03-02',
        itemId: 'c1',
        sourceUser: '1023757',
        m365User: '-',
        reason: 'unmapped participant (no-mailbox): participant 1023757 (<address>)',
      },
      {
        day: '2026-03-02',
        itemId: 'c2',
        sourceUser: '1023757',
        m365User: '-',
        reason: 'unmapped participant (no-mailbox): participant 1023757 (<address>)',
      },
      { day: '2026-03-02', itemId: 'c3', sourceUser: '1000000', m365User: 'u-1', reason: 'GraphItemRejectedError 413: too large' },
    ],
    runsSoFar: 1,
    sweep: {
      runs: 2,
      found: 1,
      lastAt: CURSOR - 60_000,
      trackedFrom: CURSOR - 3_600_000,
      recent: [{ from: CURSOR - 600_000, to: CURSOR }],
    },
    ...over,
  };
}

describe('status as the CLI shows it', () => {
  it('computes the lag when the status is read, not at the workflow last task', () => {
    expect(statusAt(answered(), CURSOR + 85_000).lagSeconds).toBe(85);
    expect(statusAt(answered(), CURSOR + 85_000).asOf).toBe('2026-03-02T10:01:25.000Z');
    // A clock a little behind the cursor never shows a negative lag.
    expect(statusAt(answered(), CURSOR - 5_000).lagSeconds).toBe(0);
  });

  it('gives every time as ISO 8601 UTC, the sweep too (it is epoch ms in the query answer)', () => {
    const v = statusAt(answered(), CURSOR + 85_000);
    expect(v.sweep).toEqual({
      runs: 2,
      found: 1,
      lastAt: '2026-03-02T09:59:00.000Z',
      trackedFrom: '2026-03-02T09:00:00.000Z',
      recent: [{ from: '2026-03-02T09:50:00.000Z', to: '2026-03-02T10:00:00.000Z' }],
    });
    const json = JSON.stringify(v);
    expect(json).not.toMatch(/"(lastAt|trackedFrom|from|to)":\d/);
  });

  it('prints the fresh lag, and unmapped participants apart from the other failures with the fix', () => {
    const text = formatStatus(statusAt(answered(), CURSOR + 85_000));
    expect(text).toContain('Cursor           2026-03-02T10:00:00.000Z  (85 s behind 2026-03-02T10:01:25.000Z)');
    expect(text).toContain('Late arrivals    1 found by 2 sweeps (last 2026-03-02T09:59:00.000Z)');
    expect(text).toMatch(/Unmapped participants in the recent failure rows \(mapping gaps, not faults; counted as failed/);
    expect(text).toMatch(
      / {2}1023757 {2}2 rows {2}their Microsoft 365 user has no licensed Exchange Online mailbox: license the mailbox, or map them to a licensed user in the mapping CSV \(graph\.mappingCsvPath\)/,
    );
    const failures = text.slice(text.indexOf('Recent failures'));
    expect(failures).toContain('c3  1000000  u-1  GraphItemRejectedError 413');
    expect(failures).not.toContain('1023757');
  });

  it('shows times in local time with the offset when asked', () => {
    const local = timeFormatter('local', { TZ: 'America/New_York' });
    expect(local(CURSOR)).toBe('2026-03-02 05:00:00 -05:00');
    expect(local('2026-07-01T12:00:00Z')).toBe('2026-07-01 08:00:00 -04:00');
    expect(timeFormatter('local', { TZ: 'UTC' })(CURSOR)).toBe('2026-03-02 10:00:00 +00:00');
    expect(isoTime(undefined)).toBe('-');
    expect(() => timeFormatter('local', { TZ: 'Mars/Olympus' })).toThrow(/TZ is "Mars\/Olympus", which is not a time zone/);
    const text = formatStatus(statusAt(answered(), CURSOR + 85_000), local);
    expect(text).toContain('Cursor           2026-03-02 05:00:00 -05:00  (85 s behind 2026-03-02 05:01:25 -05:00)');
  });
});
