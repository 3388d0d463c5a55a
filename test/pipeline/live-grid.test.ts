import { followHorizon, followWindow, gridFloor, nextFollowPoll } from '../../src/pipeline/live-grid';

describe('live follower grid', () => {
  const G = 30_000;
  const cursor = 1_000_000 + 7_000; // not on the grid

  it('puts a close in the grid step holding it, starting no earlier than the cursor', () => {
    expect(followWindow(cursor, cursor + 1_000, G)).toEqual({ from: cursor, to: 1_020_000 });
    expect(followWindow(cursor, 1_020_000, G)).toEqual({ from: 1_020_000, to: 1_050_000 });
    expect(followWindow(cursor, 1_049_999, G)).toEqual({ from: 1_020_000, to: 1_050_000 });
  });

  it('cuts the same window for a close whenever it is asked (a retried follow finds the same)', () => {
    const close = 1_111_111;
    const windows = [0, 5, 60, 600].map(() => followWindow(cursor, close, G));
    expect(new Set(windows.map((w) => `${w.from}-${w.to}`)).size).toBe(1);
    expect(windows[0]!.from).toBeLessThanOrEqual(close);
    expect(windows[0]!.to).toBeGreaterThan(close);
  });

  it('looks as far as the last grid point before now − lag, and polls when the next step has passed it', () => {
    const now = 2_000_000 + 12_345;
    expect(followHorizon(now, 60_000, G)).toBe(gridFloor(now - 60_000, G));
    expect(followHorizon(now, 60_000, G) % G).toBe(0);
    const next = nextFollowPoll(now, 60_000, G);
    expect(next).toBeGreaterThan(now);
    expect(followHorizon(next, 60_000, G)).toBe(followHorizon(now, 60_000, G) + G);
  });
});
