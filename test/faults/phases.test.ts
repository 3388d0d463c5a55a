import { SeededRandom } from '../../emulators/shared/random';
import { countByPhase, phaseOf, phaseReached, planFaults } from '../../scripts/faults/phases';

describe('fault phases (when the fault suite injects what)', () => {
  it('places a run in a backfill third by conversations read, and in live once caught up', () => {
    expect(phaseOf(0, false)).toBe('backfill-early');
    expect(phaseOf(0.4, false)).toBe('backfill-middle');
    expect(phaseOf(0.9, false)).toBe('backfill-late');
    expect(phaseOf(0.2, true)).toBe('live');
  });

  it('fires a timeline fault once its phase has come (late rather than never), an occasion fault only on its occasion', () => {
    expect(phaseReached('backfill-middle', 'backfill-early')).toBe(false);
    expect(phaseReached('backfill-middle', 'backfill-middle')).toBe(true);
    expect(phaseReached('backfill-middle', 'live')).toBe(true);
    expect(phaseReached('continue-as-new', 'live')).toBe(false);
    expect(phaseReached('continue-as-new', 'backfill-early', new Set(['continue-as-new']))).toBe(true);
    expect(phaseReached('sweep', 'live', new Set(['reconfigure']))).toBe(false);
  });

  it('spreads a plain count over the three backfill phases and keeps per-phase counts as given, in phase order', () => {
    const plan = planFaults({ kill: { live: 1, 'continue-as-new': 1 }, 'temporal-partition': 3 }, new SeededRandom(7));
    expect(plan).toHaveLength(5);
    const partitions = plan.filter((f) => f.kind === 'temporal-partition').map((f) => f.phase);
    expect(new Set(partitions)).toEqual(new Set(['backfill-early', 'backfill-middle', 'backfill-late']));
    expect(plan.slice(3)).toEqual([
      { kind: 'kill', phase: 'live' },
      { kind: 'kill', phase: 'continue-as-new' },
    ]);
    expect(planFaults({ kill: 4 }, new SeededRandom(7))).toEqual(planFaults({ kill: 4 }, new SeededRandom(7)));
  });

  it('counts landed faults by phase for the fault table', () => {
    expect(countByPhase([])).toBe('0');
    expect(countByPhase(['live', 'backfill-early', 'live', 'reconfigure'])).toBe('4 (1 backfill-early, 2 live, 1 reconfigure)');
  });
});
