import { ScheduleOverlapPolicy } from '@temporalio/client';
import { cleanupScheduleOptions } from '../../src/cli/cleanup-schedule';
import { cleanupSpec, DEFAULT_CLEANUP_TIMING, describeTiming, parseCleanupTiming, timingOfSpec } from '../../src/cli/cleanup-timing';
import { UsageError } from '../../src/cli/errors';
import { cleanupActivityInput } from '../../src/workflows/cleanup-workflow';

const H = 3_600_000;

describe('when a retention cleanup runs', () => {
  it('runs daily at 03:00 UTC by default, with half an hour of jitter', () => {
    expect(parseCleanupTiming({})).toEqual(DEFAULT_CLEANUP_TIMING);
    expect(cleanupSpec(DEFAULT_CLEANUP_TIMING)).toEqual({ intervals: [{ every: 24 * H, offset: 3 * H }], jitter: 30 * 60_000 });
    expect(describeTiming(DEFAULT_CLEANUP_TIMING)).toBe('every 1d at 03:00 UTC');
  });

  it('takes --every and --at, wraps the time of day round a shorter interval, and reads the timing back', () => {
    const t = parseCleanupTiming({ every: '6h', at: '13:30' });
    expect(t).toEqual({ everyMs: 6 * H, atMs: 13.5 * H });
    const spec = cleanupSpec(t);
    expect(spec).toEqual({ intervals: [{ every: 6 * H, offset: 1.5 * H }], jitter: 30 * 60_000 });
    expect(cleanupSpec(parseCleanupTiming({ every: '1h' })).jitter).toBe(15 * 60_000); // at most a quarter of the interval
    expect(describeTiming(t)).toBe('every 6h at 01:30 UTC');
    expect(timingOfSpec({ intervals: [{ every: 6 * H, offset: 1.5 * H }] })).toEqual({ everyMs: 6 * H, atMs: 1.5 * H });
    expect(timingOfSpec({ calendars: [{}] as never, intervals: [{ every: H, offset: 0 }] })).toBeUndefined();
  });

  it('refuses an interval under an hour or over 31 days, and a time that is not HH:MM, naming the flag', () => {
    expect(() => parseCleanupTiming({ every: '30m' })).toThrow(UsageError);
    expect(() => parseCleanupTiming({ every: '32d' })).toThrow(/--every must be a duration from 1h to 31d/);
    expect(() => parseCleanupTiming({ every: 'daily' })).toThrow(/--every/);
    expect(() => parseCleanupTiming({ at: '3am' })).toThrow(/--at must be a UTC time of day HH:MM/);
    expect(() => parseCleanupTiming({ at: '24:00' })).toThrow(/--at/);
  });
});

describe("a connector's cleanup schedule", () => {
  it('starts one retentionCleanupWorkflow per interval on the task queue, with names only, skipping while one runs', () => {
    const o = cleanupScheduleOptions({ connector: 'emea-prod', accountId: '12345678' }, 'lp-archive', DEFAULT_CLEANUP_TIMING);
    expect(o.scheduleId).toBe('lp-archive-cleanup-emea-prod');
    expect(o.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'retentionCleanupWorkflow',
      workflowId: 'lp-archive-cleanup-emea-prod',
      taskQueue: 'lp-archive',
      args: [{ connector: 'emea-prod', accountId: '12345678' }],
    });
    expect(o.policies).toEqual({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 24 * H, pauseOnFailure: false });
  });

  it("gives the activity the connector's names and no retention: the worker's LPA_RETENTION_DAYS decides", () => {
    expect(cleanupActivityInput({ connector: 'emea-prod', accountId: '12345678', heartbeatTimeoutMs: 5_000 })).toEqual({
      connector: 'emea-prod',
      accountId: '12345678',
    });
  });
});
