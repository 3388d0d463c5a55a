import { parseConnectorConfig } from '../../src/config/connector-schema';
import type { DayCheck } from '../../src/model';
import { afterProof, daysToProve, MAX_DAYS_PER_CHECK } from '../../src/workflows/completeness-plan';
import { CONFIG_NOW, validConnectorFile } from '../support/config-fixtures';

const HOUR = 3_600_000;

function config(schedule: Record<string, unknown>) {
  const file = validConnectorFile();
  return parseConnectorConfig({ ...file, schedule: { ...(file.schedule as object), ...schedule } }, CONFIG_NOW);
}

const check = (day: string, status: DayCheck['status'], missing: string[] = []): DayCheck => ({
  day,
  status,
  reported: 3,
  archived: 3 - missing.length,
  failed: 0,
  missing,
  missingTotal: missing.length,
  proof: `c/${day}.completeness.json`,
});

describe('completeness plan: which days to prove, and when', () => {
  const start = Date.parse('2026-03-01T06:00:00Z');
  const c = config({
    startDate: new Date(start).toISOString(),
    lateArrivalSweep: '30m',
    completenessCheck: '1h',
    completenessRecheck: '2d',
  });

  it('proves a day once it is older than the sweep horizon, from the start date on (the first day only from it)', () => {
    // Cursor at 00:20 on the 3rd: the 2nd ended 20 min ago, inside the 30-min sweep horizon.
    const cursor = Date.parse('2026-03-03T00:20:00Z');
    expect(daysToProve(c, undefined, cursor, cursor).map((d) => d.day)).toEqual(['2026-03-01']);
    expect(daysToProve(c, undefined, cursor, cursor)[0]!.from).toBe(start);
    const later = cursor + 20 * 60_000;
    expect(daysToProve(c, undefined, later, later).map((d) => d.day)).toEqual(['2026-03-01', '2026-03-02']);
  });

  it('checks a new day at once, the open ones every completenessCheck, and settles complete days after completenessRecheck', () => {
    const now = Date.parse('2026-03-03T01:00:00Z');
    let state = afterProof(c, undefined, [check('2026-03-01', 'complete'), check('2026-03-02', 'incomplete', ['x'])], 0, now);
    expect(state.nextDay).toBe('2026-03-03');
    expect(state.open.map((d) => d.day)).toEqual(['2026-03-01', '2026-03-02']);
    expect(daysToProve(c, state, now, now + 30 * 60_000)).toEqual([]);
    expect(daysToProve(c, state, now, now + HOUR).map((d) => d.day)).toEqual(['2026-03-01', '2026-03-02']);
    // Two days after the 1st ended it is settled; the incomplete 2nd stays open however old.
    const much = Date.parse('2026-03-08T00:00:00Z');
    state = afterProof(c, state, [check('2026-03-01', 'complete'), check('2026-03-02', 'incomplete', ['x'])], 0, much);
    expect(state.open.map((d) => d.day)).toEqual(['2026-03-02']);
    expect(state.settled.map((d) => d.day)).toEqual(['2026-03-01']);
    state = afterProof(c, state, [check('2026-03-02', 'complete')], 1, much + HOUR);
    expect(state).toMatchObject({ open: [], foundLate: 1 });
  });

  it("settles a day past the worker's retention at once: the cleanup may have deleted its manifests", () => {
    const now = Date.parse('2026-03-03T01:00:00Z');
    const state = afterProof(c, undefined, [check('2026-03-01', 'expired'), check('2026-03-02', 'incomplete', ['x'])], 0, now);
    expect(state.settled.map((d) => `${d.day} ${d.status}`)).toEqual(['2026-03-01 expired']);
    expect(state.open.map((d) => d.day)).toEqual(['2026-03-02']);
  });

  it('proves a long backfill a few days at a time, and nothing when turned off', () => {
    const cursor = Date.parse('2026-03-31T12:00:00Z');
    expect(daysToProve(c, undefined, cursor, cursor)).toHaveLength(MAX_DAYS_PER_CHECK);
    const off = config({ startDate: new Date(start).toISOString(), completenessCheck: '0m' });
    expect(daysToProve(off, undefined, cursor, cursor)).toEqual([]);
  });
});
