import { parseConnectorConfig } from '../../src/config/connector-schema';
import { zeroCounts, type LogCounts } from '../../src/model';
import { Connector } from '../../src/workflows/connector-state';
import { CONFIG_NOW, validConnectorFile } from '../support/config-fixtures';

const HOUR = 3_600_000;
const counts = (patch: Partial<LogCounts>): LogCounts => ({ ...zeroCounts(), ...patch });

function connector(schedule: Record<string, unknown> = {}): Connector {
  const file = validConnectorFile();
  return new Connector(parseConnectorConfig({ ...file, schedule: { ...(file.schedule as object), ...schedule } }, CONFIG_NOW));
}

describe('Connector: the state and transitions of the connector workflow, without Temporal', () => {
  it('starts at the backfill start with an empty log, and reports its lag at query time', () => {
    const c = connector({ backfillWindow: '6h' });
    const s = c.status(c.cursor + 90_000);
    expect(s).toMatchObject({ state: 'starting', lagSeconds: 90, windowsDone: 0, runsSoFar: 1, totals: zeroCounts() });
    expect(s.currentWindow).toBeUndefined();
  });

  it('cuts backfill windows no longer than backfillWindow and moves the cursor only when a window is finished', () => {
    const c = connector({ backfillWindow: '6h' });
    const start = c.cursor;
    const next = c.takeNextWindow(start + 48 * HOUR)!;
    expect(next).toEqual({ window: { from: start, to: start + 6 * HOUR }, source: 'messaging' });
    const w = next.window;
    expect(c.beginWindow(w, start + 48 * HOUR)).toBe('catching-up');
    expect(c.status(start + 48 * HOUR).currentWindow).toMatchObject({ from: new Date(start).toISOString(), page: 0 });
    expect(c.cursor).toBe(start);
    c.finishWindow(w, true, start + 48 * HOUR);
    expect(c.cursor).toBe(w.to);
    expect(c.windowsDone).toBe(1);
    expect(c.current).toBeUndefined();
  });

  it('is live when a window ends close to now − lag; waits for the minimum window unless run-now asks for what is ready', () => {
    const c = connector({ lag: '1m', minWindow: '1m', pollInterval: '30s' });
    const now = c.cursor + 60_000 + 20_000; // 20 s past the cursor's lag: less than the minimum window
    expect(c.takeNextWindow(now)).toBeUndefined();
    c.requestRunNow();
    const w = c.takeNextWindow(now)!.window;
    expect(w.to - w.from).toBe(20_000);
    expect(c.beginWindow(w, now)).toBe('live');
    expect(c.runNow).toBe(false); // consumed
  });

  it('rolls back the counts of a window that is run again, so every item is counted once', () => {
    const c = connector();
    c.recordBatch('2026-11-02', counts({ fromSource: 3, forImport: 3, imported: 3 }), []);
    const before = c.snapshotLog();
    c.recordBatch('2026-11-02', counts({ fromSource: 2, forImport: 2, imported: 1, failed: 1 }), [
      { day: '2026-11-02', itemId: 'c1', sourceUser: 'a', m365User: '-', reason: 'x' },
    ]);
    expect(c.log.totals.imported).toBe(4);
    c.rollbackLog(before);
    expect(c.status(c.cursor).totals).toEqual(counts({ fromSource: 3, forImport: 3, imported: 3 }));
    expect(c.status(c.cursor).recentFailures).toEqual([]);
  });

  it('remembers failures for the backoff and the status, and recovers once a call succeeds', () => {
    const c = connector();
    expect(c.recovered()).toBe(false);
    c.failed('Graph is throttling');
    c.failed('Graph is throttling');
    expect(c.failuresInARow).toBe(2);
    expect(c.enter('throttled')).toBe(true);
    expect(c.enter('throttled')).toBe(false); // no change: no search-attribute upsert
    expect(c.details()).toMatch(/^throttled · cursor .* · Graph is throttling$/);
    expect(c.recovered()).toBe(true);
    expect(c.failuresInARow).toBe(0);
    expect(c.status(c.cursor).lastError).toBeUndefined();
  });

  it('wakes waits on resume, run-now and reconfigure, and applies a new config', () => {
    const c = connector();
    c.pause();
    expect(c.paused).toBe(true);
    c.resume();
    c.requestRunNow();
    const next = { ...c.config, schedule: { ...c.config.schedule, pollIntervalMs: 5_000 } };
    expect(c.reconfigure(next, CONFIG_NOW)).toEqual({ accepted: true, effectiveFrom: new Date(CONFIG_NOW).toISOString() });
    expect(c.wakeups).toBe(3);
    expect(c.configVersion).toBe(1);
    expect(c.config.schedule.pollIntervalMs).toBe(5_000);
    expect(() => c.validateReconfigure({ ...next, name: 'other' })).toThrow(/the name cannot change/);
  });

  it('validates reimport ranges against the cursor and LivePerson retention', () => {
    const c = connector();
    c.cursor += 10 * HOUR;
    expect(() => c.validateReimport({ from: c.cursor - HOUR, to: c.cursor }, CONFIG_NOW)).not.toThrow();
    expect(() => c.validateReimport({ from: c.cursor, to: c.cursor - HOUR }, CONFIG_NOW)).toThrow(/--from must be before --to/);
    expect(() => c.validateReimport({ from: c.cursor - HOUR, to: c.cursor + 1 }, CONFIG_NOW)).toThrow(/after the connector's cursor/);
    expect(() => c.validateReimport({ from: CONFIG_NOW - 400 * 24 * HOUR, to: c.cursor }, CONFIG_NOW)).toThrow(/13 months/);
    expect(() => c.validateRetryFailed({ fromDay: '2026-11-03', toDay: '2026-11-02' })).toThrow(/not after --to-day/);
  });

  it('keeps the newest reimports, and their counts join the log when they finish', () => {
    const c = connector();
    const w = { from: c.cursor, to: c.cursor + HOUR };
    const first = c.addReimport('lp-archive-connector-x', 'abcdef0123', [w]);
    expect(first.id).toBe('lp-archive-connector-x-reimport-abcdef01-1');
    expect(first.scope).toBe('r-abcdef01-1');
    expect(c.reimportsRunning()).toBe(true);
    c.reimportDone(first.entry, { counts: counts({ fromSource: 1, forImport: 1, imported: 1 }), failures: [] }, CONFIG_NOW);
    expect(c.reimportsRunning()).toBe(false);
    expect(c.log.totals.imported).toBe(1);
    for (let i = 0; i < 6; i++) c.addReimport('wf', 'run00000', [w]);
    expect(c.reimports.length).toBeLessThanOrEqual(6);
    expect(c.reimports.some((r) => r.id === first.entry.id)).toBe(false); // a finished one made room
  });

  it('hands its cursor, log, control and sweep to the next run, which counts itself', () => {
    const c = connector();
    c.cursor += HOUR;
    c.windowsDone = 4;
    c.pause();
    c.recordBatch('2026-11-02', counts({ fromSource: 1, forImport: 1, imported: 1 }), []);
    const next = new Connector(c.config, c.carried());
    expect(next.status(next.cursor)).toMatchObject({
      cursor: new Date(c.cursor).toISOString(),
      windowsDone: 4,
      runsSoFar: 2,
      state: 'starting',
    });
    expect(next.paused).toBe(true);
    expect(next.log.totals.imported).toBe(1);
    expect(next.shouldContinueAsNew(false, undefined)).toBe(false);
    expect(next.shouldContinueAsNew(true, undefined)).toBe(true);
  });
});

describe('Connector with legacy chat: a second source with its own cursor, lag, sweep and counts', () => {
  function withChat(schedule: Record<string, unknown> = {}): Connector {
    const file = validConnectorFile();
    return new Connector(
      parseConnectorConfig(
        {
          ...file,
          liveperson: { ...(file.liveperson as object), sources: ['messaging', 'chat'] },
          schedule: { ...(file.schedule as object), ...schedule },
        },
        CONFIG_NOW,
      ),
    );
  }

  it('moves both sources along in a backfill: the one furthest behind goes next, messaging on a tie', () => {
    const c = withChat({ backfillWindow: '6h' });
    const start = c.cursor;
    const now = start + 48 * HOUR;
    const first = c.takeNextWindow(now)!;
    expect(first).toEqual({ window: { from: start, to: start + 6 * HOUR }, source: 'messaging' });
    c.beginWindow(first.window, now, first.source);
    c.finishWindow(first.window, true, now, first.source);
    const second = c.takeNextWindow(now)!;
    expect(second).toEqual({ window: { from: start, to: start + 6 * HOUR }, source: 'chat' });
    c.beginWindow(second.window, now, second.source);
    expect(c.status(now).currentWindow?.source).toBe('chat');
    c.finishWindow(second.window, true, now, second.source);
    expect(c.cursor).toBe(start + 6 * HOUR);
    expect(c.chat?.cursor).toBe(start + 6 * HOUR);
    expect(c.status(now).sources?.chat.cursor).toBe(new Date(start + 6 * HOUR).toISOString());
  });

  it('holds chat windows back by chatLag, messaging by lag; the cursor it shows is the earlier one', () => {
    const c = withChat({ lag: '1m', chatLag: '5m', minWindow: '30s' });
    const start = c.cursor;
    const now = start + 3 * 60_000; // past messaging's lag, not chat's
    const next = c.takeNextWindow(now)!;
    expect(next.source).toBe('messaging');
    c.finishWindow(next.window, false, now, next.source);
    expect(c.takeNextWindow(now)).toBeUndefined();
    expect(c.status(now).cursor).toBe(new Date(start).toISOString()); // chat has not moved
    expect(c.takeNextWindow(start + 6 * 60_000)?.source).toBe('chat');
  });

  it('counts each source, and the two add up to the totals, per day too; a rollback takes chat back as well', () => {
    const c = withChat();
    c.recordBatch('2026-11-02', counts({ fromSource: 3, forImport: 4, imported: 4 }), []);
    const before = c.snapshotLog();
    c.recordBatch('2026-11-02', counts({ fromSource: 2, forImport: 2, imported: 1, failed: 1 }), [], 'chat');
    const s = c.status(c.cursor);
    expect(s.sources?.chat.totals).toEqual(counts({ fromSource: 2, forImport: 2, imported: 1, failed: 1 }));
    expect(s.sources?.messaging.totals).toEqual(counts({ fromSource: 3, forImport: 4, imported: 4 }));
    expect(s.totals).toEqual(counts({ fromSource: 5, forImport: 6, imported: 5, failed: 1 }));
    expect(s.sources?.messaging.days).toEqual([{ day: '2026-11-02', counts: counts({ fromSource: 3, forImport: 4, imported: 4 }) }]);
    c.rollbackLog(before);
    expect(c.status(c.cursor).sources?.chat.totals).toEqual(zeroCounts());
  });

  it('hands the chat cursor, sweep and interrupted work to the next run', () => {
    const c = withChat({ backfillWindow: '6h' });
    const now = c.cursor + 48 * HOUR;
    c.finishWindow({ from: c.cursor, to: c.cursor + HOUR }, true, now, 'chat');
    c.abandonWindow('chat');
    const next = new Connector(c.config, c.carried());
    expect(next.chat).toMatchObject({ cursor: c.chat!.cursor, rerunWindow: true, rerunSweep: false });
    expect(next.chat!.sweep?.recent).toHaveLength(1);
    expect(next.cursor).toBe(c.cursor);
    expect(next.status(now).interrupted).toEqual({ chatWindow: new Date(c.chat!.cursor).toISOString() });
  });

  it('shows no sources for a connector that has only ever collected messaging', () => {
    expect(connector().status(Date.now()).sources).toBeUndefined();
  });
});
