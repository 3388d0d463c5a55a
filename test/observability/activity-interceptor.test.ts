import { log } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createJsonLogger, createLpMetrics, lpActivityInterceptors, LP_METRIC_NAMES } from '../../src/observability';
import { RecordingMeter } from './recording-meter';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const WINDOW = { from: Date.parse('2026-03-02T10:00:00Z'), to: Date.parse('2026-03-02T11:00:00Z') };
const config = { name: 'contoso-eu' };

/** Runs `result` as the activity `activityType` through our interceptor, like the worker would. */
async function runActivity(activityType: string, args: unknown, result: unknown, attempt = 1) {
  const meter = new RecordingMeter();
  const lines: string[] = [];
  const env = new MockActivityEnvironment(
    { activityType, attempt },
    {
      interceptors: [lpActivityInterceptors(createLpMetrics(meter), () => NOW)],
      logger: createJsonLogger({ level: 'DEBUG', write: (l) => lines.push(l) }),
    },
  );
  const returned = await env.run((_input: unknown) => {
    log.info('inside the activity');
    return Promise.resolve(result);
  }, args);
  return { meter, lines: lines.map((l) => JSON.parse(l) as Record<string, unknown>), returned };
}

describe('activity interceptor: metrics from activity results', () => {
  it('counts the conversations a fetchPage kept, and sets the lag from the window start on page 0', async () => {
    const { meter, returned } = await runActivity(
      'fetchPage',
      { config, window: WINDOW, page: 0 },
      { rawPage: 'r', kept: 37, totalCount: 120 },
    );
    expect(returned).toEqual({ rawPage: 'r', kept: 37, totalCount: 120 });
    expect(meter.sum(LP_METRIC_NAMES.conversationsFetched, { connector: 'contoso-eu' })).toBe(37);
    expect(meter.last(LP_METRIC_NAMES.lagSeconds, { connector: 'contoso-eu' })).toBe((NOW - WINDOW.from) / 1000);
  });

  it('sets the lag from the window end when page 0 finds the window empty (no completeWindow follows)', async () => {
    const { meter } = await runActivity('fetchPage', { config, window: WINDOW, page: 0 }, { rawPage: '', kept: 0, totalCount: 0 });
    expect(meter.last(LP_METRIC_NAMES.lagSeconds, { connector: 'contoso-eu' })).toBe(3600);
  });

  it('does not touch the lag on later pages of a window', async () => {
    const { meter } = await runActivity('fetchPage', { config, window: WINDOW, page: 3 }, { rawPage: 'r', kept: 5, totalCount: 120 });
    expect(meter.sum(LP_METRIC_NAMES.conversationsFetched)).toBe(5);
    expect(meter.last(LP_METRIC_NAMES.lagSeconds)).toBeUndefined();
  });

  it('counts what a preparePage fetched and sets the lag on page 0, as fetchPage did (it fetches the batch first)', async () => {
    const prepared = { kept: 37, totalCount: 120, routed: 'w', items: 36, failed: 1, targets: 50, unmapped: 0 };
    const first = await runActivity('preparePage', { config, window: WINDOW, page: 0 }, prepared);
    expect(first.meter.sum(LP_METRIC_NAMES.conversationsFetched, { connector: 'contoso-eu' })).toBe(37);
    expect(first.meter.last(LP_METRIC_NAMES.lagSeconds, { connector: 'contoso-eu' })).toBe((NOW - WINDOW.from) / 1000);
    const empty = await runActivity(
      'preparePage',
      { config, window: WINDOW, page: 0 },
      { ...prepared, kept: 0, totalCount: 0, routed: '' },
    );
    expect(empty.meter.last(LP_METRIC_NAMES.lagSeconds, { connector: 'contoso-eu' })).toBe(3600);
    const later = await runActivity('preparePage', { config, window: WINDOW, page: 3, batchSize: 40 }, { ...prepared, kept: 5 });
    expect(later.meter.sum(LP_METRIC_NAMES.conversationsFetched)).toBe(5);
    expect(later.meter.last(LP_METRIC_NAMES.lagSeconds)).toBeUndefined();
    const done = first.lines.find((l) => l.msg === 'preparePage done');
    expect(done).toMatchObject({ kept: 37, totalCount: 120, items: 36, targets: 50 });
    expect(JSON.stringify(done)).not.toContain('"routed"'); // counts only, no blob names
  });

  it('counts imported items by result from importPage counts', async () => {
    const counts = { fromSource: 10, forImport: 14, imported: 9, partial: 2, skippedDuplicate: 1, failed: 2 };
    const { meter } = await runActivity(
      'importPage',
      { config, window: WINDOW, page: 1, routed: 'x', day: '2026-03-02' },
      { counts, failures: [], failuresTotal: 2, logPart: 'p' },
    );
    const by = (result: string) => meter.sum(LP_METRIC_NAMES.itemsImported, { connector: 'contoso-eu', result });
    expect([by('imported'), by('partial'), by('skippedDuplicate'), by('failed')]).toEqual([9, 2, 1, 2]);
  });

  it('counts what a live follow collected in-process, and sets the lag from how far it got', async () => {
    const counts = (imported: number) => ({
      fromSource: imported,
      forImport: imported + 1,
      imported,
      partial: 0,
      skippedDuplicate: 0,
      failed: 1,
    });
    const batch = (imported: number) => ({ counts: counts(imported), failures: [], failuresTotal: 1, logPart: 'p' });
    const { meter } = await runActivity(
      'followLive',
      { config, lanes: [{ source: 'messaging', cursor: WINDOW.from, lagMs: 60_000 }], maxWaitMs: 300_000 },
      {
        windows: [
          { source: 'messaging', window: WINDOW, day: '2026-03-02', batches: [batch(3), batch(2)], manifest: true },
          {
            source: 'messaging',
            window: { from: WINDOW.to, to: WINDOW.to + 60_000 },
            day: '2026-03-02',
            batches: [batch(1)],
            manifest: true,
          },
        ],
        emptyUntil: [{ source: 'messaging', to: WINDOW.to + 120_000 }],
      },
    );
    const by = (result: string) => meter.sum(LP_METRIC_NAMES.itemsImported, { connector: 'contoso-eu', result });
    expect([by('imported'), by('failed')]).toEqual([6, 3]);
    expect(meter.sum(LP_METRIC_NAMES.conversationsFetched, { connector: 'contoso-eu' })).toBe(6);
    expect(meter.last(LP_METRIC_NAMES.lagSeconds, { connector: 'contoso-eu' })).toBe((NOW - WINDOW.to - 120_000) / 1000);
  });

  it('sets the lag from the window end once completeWindow has run', async () => {
    const { meter } = await runActivity('completeWindow', { config, window: WINDOW, pages: [0, 1] }, { manifest: 'm', items: 14 });
    expect(meter.last(LP_METRIC_NAMES.lagSeconds, { connector: 'contoso-eu' })).toBe(3600);
  });

  it('counts the days a completeness check proved, by result; both series exist at 0 from the first window on', async () => {
    const days = (d: string, status: string) => ({
      day: d,
      status,
      reported: 1,
      archived: 1,
      failed: 0,
      missing: [],
      missingTotal: 0,
      proof: 'p',
    });
    const first = await runActivity('completeWindow', { config, window: WINDOW, pages: [0] }, { manifest: 'm', items: 1 });
    const zero = (result: string) => first.meter.sum(LP_METRIC_NAMES.daysChecked, { connector: 'contoso-eu', result });
    expect([zero('complete'), zero('incomplete')]).toEqual([0, 0]);
    expect(first.meter.records.some((r) => r.name === LP_METRIC_NAMES.daysChecked && r.tags.result === 'incomplete')).toBe(true);
    const { meter } = await runActivity(
      'proveDays',
      { config, days: [] },
      { days: [days('2026-03-01', 'complete'), days('2026-03-02', 'incomplete'), days('2026-03-03', 'complete')] },
    );
    const by = (result: string) => meter.sum(LP_METRIC_NAMES.daysChecked, { connector: 'contoso-eu', result });
    expect([by('complete'), by('incomplete')]).toEqual([2, 1]);
  });

  it('records nothing for a result it does not know or an input without a connector', async () => {
    const a = await runActivity('convertPage', { config, window: WINDOW, page: 0 }, { converted: 'c', items: 3, failed: 0 });
    const b = await runActivity('fetchPage', { window: WINDOW, page: 0 }, { kept: 3 });
    const c = await runActivity('importPage', 'not an object', { counts: { imported: 3 } });
    expect([...a.meter.records, ...b.meter.records, ...c.meter.records]).toEqual([]);
  });

  it('does not count a failed activity and passes its error through unchanged', async () => {
    const meter = new RecordingMeter();
    const env = new MockActivityEnvironment(
      { activityType: 'importPage' },
      { interceptors: [lpActivityInterceptors(createLpMetrics(meter))], logger: createJsonLogger({ write: () => undefined }) },
    );
    const boom = new Error('Graph is down');
    await expect(env.run(async (_i: unknown) => Promise.reject(boom), { config, window: WINDOW, page: 0 })).rejects.toBe(boom);
    expect(meter.records).toEqual([]);
  });
});

describe('activity interceptor: log context', () => {
  it('adds connector, window and page to the activity log lines, beside the SDK activity type and attempt', async () => {
    const { lines } = await runActivity(
      'importPage',
      { config, window: WINDOW, page: 4, routed: 'x', day: 'd' },
      { counts: { imported: 1, partial: 0, skippedDuplicate: 0, failed: 0 } },
      3,
    );
    const inside = lines.find((l) => l.msg === 'inside the activity');
    expect(inside).toMatchObject({
      level: 'INFO',
      connector: 'contoso-eu',
      windowFrom: '2026-03-02T10:00:00.000Z',
      windowTo: '2026-03-02T11:00:00.000Z',
      page: 4,
      activityType: 'importPage',
      attempt: 3,
    });
    const done = lines.find((l) => l.msg === 'importPage done');
    expect(done).toMatchObject({ level: 'INFO', connector: 'contoso-eu', page: 4, imported: 1, failed: 0 });
    expect(typeof done?.durationMs).toBe('number');
  });

  it('logs only counts from a result, never blob names or failure rows', async () => {
    const failures = [{ day: 'd', itemId: 'conv-1', sourceUser: 'alice@contoso.example', m365User: '', result: 'failed', reason: 'x' }];
    const { lines } = await runActivity(
      'importPage',
      { config, window: WINDOW, page: 0 },
      { counts: { imported: 0, partial: 0, skippedDuplicate: 0, failed: 1 }, failures, logPart: 'secret-blob' },
    );
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain('alice@contoso.example');
    expect(text).not.toContain('secret-blob');
  });
});
