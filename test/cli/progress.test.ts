import { PassThrough } from 'node:stream';
import { backfillProgress, createProgressView, formatEta } from '../../src/cli/progress';
import { timeFormatter } from '../../src/cli/time-format';
import type { ConnectorStatus } from '../../src/model';

const H = 3_600_000;

function status(cursor: number, lagSeconds: number, state: ConnectorStatus['state'] = 'catching-up'): ConnectorStatus {
  const zero = { fromSource: 0, forImport: 0, imported: 0, partial: 0, skippedDuplicate: 0, failed: 0 };
  return {
    connector: 'c',
    state,
    cursor: new Date(cursor).toISOString(),
    lagSeconds,
    windowsDone: 0,
    totals: { ...zero, imported: 7 },
    days: [],
    recentFailures: [],
    runsSoFar: 1,
  };
}

describe('backfill progress', () => {
  it('is the share of [start, now) archived, with the catch-up time from the cursor speed against the clock', () => {
    const from = 0;
    // In 60 s of wall time the cursor moved 10 h: it gains 599 ms per ms on the clock; 10 h behind → ~60 s.
    const p = backfillProgress(from, { at: 0, cursor: 10 * H }, { at: 60_000, cursor: 20 * H }, 10 * H);
    expect(p.percent).toBeCloseTo(66.67, 1);
    expect(p.etaSeconds).toBe(60);
    // No movement yet: no ETA; a cursor slower than the clock never catches up: no ETA either.
    expect(backfillProgress(from, { at: 0, cursor: H }, { at: 0, cursor: H }, H).etaSeconds).toBeUndefined();
    expect(backfillProgress(from, { at: 0, cursor: H }, { at: 10 * H, cursor: 2 * H }, H).etaSeconds).toBeUndefined();
    expect(backfillProgress(10 * H, { at: 0, cursor: 10 * H }, { at: 0, cursor: 10 * H }, 0).percent).toBe(100);
  });

  it('formats the ETA compactly', () => {
    expect(formatEta(undefined)).toBe('?');
    expect(formatEta(42)).toBe('42s');
    expect(formatEta(125)).toBe('2m05s');
    expect(formatEta(7260)).toBe('2h01m');
  });

  it('draws a bar with ETA on a terminal, and plain lines otherwise', () => {
    const tty = new PassThrough();
    let drawn = '';
    tty.on('data', (b: Buffer) => (drawn += b.toString()));
    Object.assign(tty, { isTTY: true, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    const bar = createProgressView(
      { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: {}, isTTY: true, progressStream: tty },
      { from: 0 },
    );
    bar.update(status(10 * H, 36_000), 0);
    bar.update(status(20 * H, 36_000), 60_000);
    bar.stop();
    expect(drawn).toMatch(/66% \| ETA 1m00s \| catching-up \| cursor 1970-01-01T20:00:00.000Z \| 7 imported/);

    let lines = '';
    const plain = createProgressView(
      { stdout: { write: (t) => void (lines += t) }, stderr: { write: () => undefined }, env: {}, isTTY: false },
      { from: 0 },
    );
    plain.update(status(10 * H, 36_000), 0);
    plain.update(status(20 * H, 36_000, 'live'), 60_000);
    expect(lines.trim().split('\n')).toHaveLength(2);
    expect(lines).toMatch(
      /\n1970-01-01T00:01:00.000Z {2}live {2}cursor 1970-01-01T20:00:00.000Z {2}66.7% {2}ETA 1m00s {2}7 imported {2}0 failed\n$/,
    );
  });

  it('has an ETA from the run backfill rate before the cursor moves under the watch (no "ETA ?" at 99 %)', () => {
    let lines = '';
    const io = { stdout: { write: (t: string) => void (lines += t) }, stderr: { write: () => undefined }, env: {}, isTTY: false };
    // The run started at t=0 with its cursor at 0 and reached 99 h in 10 min of wall time; the last window is
    // still running, so the cursor does not move between the two samples of this watch.
    const view = createProgressView(io, { from: 0, runStart: { at: 0, cursor: 0 } });
    const now = 600_000;
    view.update(status(99 * H, 3_600), now);
    view.update(status(99 * H, 3_602), now + 2_000);
    expect(lines).not.toContain('ETA ?');
    // 99 h of cursor in 600 s of wall time: 594 ms gained per ms; 1 h behind → about 6 s.
    expect(lines.trim().split('\n')[1]).toMatch(/99\.0% {2}ETA 6s /);
    // Without the run's start, the same watch cannot know the rate yet.
    let bare = '';
    const without = createProgressView({ ...io, stdout: { write: (t: string) => void (bare += t) } }, { from: 0 });
    without.update(status(99 * H, 3_600), now);
    without.update(status(99 * H, 3_602), now + 2_000);
    expect(bare).toContain('ETA ?');
  });

  it('shows times in the chosen format in plain lines', () => {
    let lines = '';
    const io = { stdout: { write: (t: string) => void (lines += t) }, stderr: { write: () => undefined }, env: {}, isTTY: false };
    const view = createProgressView(io, { from: 0, time: timeFormatter('local', { TZ: 'Asia/Kolkata' }) });
    view.update(status(10 * H, 36_000), 0);
    expect(lines).toMatch(/^1970-01-01 05:30:00 \+05:30 {2}catching-up {2}cursor 1970-01-01 15:30:00 \+05:30 /);
  });
});
