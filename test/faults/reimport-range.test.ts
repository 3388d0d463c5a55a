import { SeededRandom } from '../../emulators/shared/random';
import { reimportRange } from '../../scripts/faults/reimport';

describe('the fault suite reimport range', () => {
  const W = 12 * 3_600_000;
  const start = Date.parse('2026-12-01T00:00:00Z');

  it('waits until the backfill has wholly covered as many windows as the reimport takes', () => {
    expect(reimportRange(new SeededRandom(1), start, start + 2 * W - 1, W, 2)).toBeUndefined();
    expect(reimportRange(new SeededRandom(1), start, start + 2 * W, W, 2)).toEqual({ from: start, to: start + 2 * W });
  });

  it('picks whole windows behind the cursor by the seed, the same for the same seed', () => {
    for (let seed = 0; seed < 50; seed++) {
      const r = reimportRange(new SeededRandom(seed), start, start + 5 * W + 7, W, 2);
      expect(r).toBeDefined();
      expect((r!.from - start) % W).toBe(0);
      expect(r!.to - r!.from).toBe(2 * W);
      expect(r!.to).toBeLessThanOrEqual(start + 5 * W);
      expect(reimportRange(new SeededRandom(seed), start, start + 5 * W + 7, W, 2)).toEqual(r);
    }
  });
});
