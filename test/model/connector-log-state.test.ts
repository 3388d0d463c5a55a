import { countsAddUp, zeroCounts, type FailureRow } from '../../src/model';
import { emptyLogState, recordPage } from '../../src/workflows/connector-log-state';

function counts(imported: number, failed: number) {
  return { ...zeroCounts(), fromSource: imported + failed, forImport: imported + failed, imported, failed };
}

describe('connector log state carried by the workflow', () => {
  it('adds pages to totals and to their UTC day, and the sums still add up', () => {
    const s = emptyLogState();
    recordPage(s, '2026-11-24', counts(5, 1), []);
    recordPage(s, '2026-11-25', counts(3, 0), []);
    recordPage(s, '2026-11-24', counts(2, 2), []);
    expect(s.totals).toMatchObject({ imported: 10, failed: 3, forImport: 13 });
    expect(s.days.map((d) => [d.day, d.counts.imported])).toEqual([
      ['2026-11-24', 7],
      ['2026-11-25', 3],
    ]);
    expect(countsAddUp(s.totals)).toBe(true);
    for (const d of s.days) expect(countsAddUp(d.counts)).toBe(true);
  });

  it('stays bounded: 14 days and the 20 newest failure rows', () => {
    const s = emptyLogState();
    for (let d = 1; d <= 30; d++) {
      const day = `2026-11-${String(d).padStart(2, '0')}`;
      const rows: FailureRow[] = [{ day, itemId: `c${d}`, sourceUser: 'u', m365User: '-', reason: 'r' }];
      recordPage(s, day, counts(1, 1), rows);
    }
    expect(s.days).toHaveLength(14);
    expect(s.days[13]!.day).toBe('2026-11-30');
    expect(s.recentFailures).toHaveLength(20);
    expect(s.recentFailures[19]!.itemId).toBe('c30');
    expect(s.totals.failed).toBe(30);
  });
});
