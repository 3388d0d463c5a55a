import { coveringRange, inWindow, nextWindow, TEN_MINUTES_MS, windowLabel } from '../../src/model';

const T0 = Date.UTC(2026, 10, 25, 14, 23, 17);

describe('collection windows', () => {
  it('asks LivePerson for a range rounded out to 10-minute boundaries that covers the window', () => {
    const w = { from: T0, to: T0 + 4 * 60_000 };
    const c = coveringRange(w);
    expect(c.from % TEN_MINUTES_MS).toBe(0);
    expect(c.to % TEN_MINUTES_MS).toBe(0);
    expect(c.from).toBeLessThanOrEqual(w.from);
    expect(c.to).toBeGreaterThanOrEqual(w.to);
    expect(c).toEqual({ from: Date.UTC(2026, 10, 25, 14, 20), to: Date.UTC(2026, 10, 25, 14, 30) });
  });

  it('puts a conversation ending exactly on a boundary in the later window only', () => {
    const a = { from: T0, to: T0 + 60_000 };
    const b = { from: T0 + 60_000, to: T0 + 120_000 };
    expect(inWindow(a, T0 + 60_000)).toBe(false);
    expect(inWindow(b, T0 + 60_000)).toBe(true);
    expect(inWindow(a, T0)).toBe(true);
  });

  it('cuts backfill windows at the maximum size and never comes closer to now than the lag', () => {
    const opts = { maxSizeMs: 86_400_000, minSizeMs: 60_000, lagMs: 120_000 };
    const now = T0 + 3 * 86_400_000;
    expect(nextWindow(T0, now, opts)).toEqual({ from: T0, to: T0 + 86_400_000 });
    const last = nextWindow(T0 + 2 * 86_400_000, now, opts);
    expect(last).toEqual({ from: T0 + 2 * 86_400_000, to: now - 120_000 });
  });

  it('waits (no window) when less than the minimum window is ready', () => {
    const opts = { maxSizeMs: 86_400_000, minSizeMs: 60_000, lagMs: 120_000 };
    expect(nextWindow(T0, T0 + 150_000, opts)).toBeUndefined();
    expect(nextWindow(T0, T0 + 180_000, opts)).toEqual({ from: T0, to: T0 + 60_000 });
  });

  it('labels windows in a sortable, path-safe form', () => {
    expect(windowLabel({ from: Date.UTC(2026, 0, 2, 3, 4, 5), to: Date.UTC(2026, 0, 2, 4, 0) })).toBe('20260102T030405Z-20260102T040000Z');
  });
});
