import type { SeededRandom } from '../../emulators/shared/random';

/** The phases a run passes through in order: backfill thirds (by conversations read), then live following. */
export const TIMELINE_PHASES = ['backfill-early', 'backfill-middle', 'backfill-late', 'live'] as const;
/**
 * Moments a fault waits for rather than a stretch of the run: a late-arrival sweep due (live mode), a reimport
 * the scenario started through the CLI still running, a reconfigure the scenario sends itself (the fault lands
 * while the update is in flight), and the first look at the status after a continue-as-new (a new run id).
 */
export const OCCASION_PHASES = ['sweep', 'reimport', 'reconfigure', 'continue-as-new'] as const;
/** Where in the connector's life a fault landed, for the fault table (issue 21: kills in every phase). */
export const FAULT_PHASES = [...TIMELINE_PHASES, ...OCCASION_PHASES] as const;
export type TimelinePhase = (typeof TIMELINE_PHASES)[number];
export type OccasionPhase = (typeof OCCASION_PHASES)[number];
export type FaultPhase = (typeof FAULT_PHASES)[number];

/** The phase of a run from its backfill progress (0..1 of the conversations) and whether it has caught up. */
export function phaseOf(progress: number, caughtUp: boolean): TimelinePhase {
  if (caughtUp) return 'live';
  if (progress < 1 / 3) return 'backfill-early';
  if (progress < 2 / 3) return 'backfill-middle';
  return 'backfill-late';
}

/**
 * Whether a fault planned for `planned` may be injected now: its timeline phase has come (a missed phase
 * fires late), or its occasion is here.
 */
export function phaseReached(planned: FaultPhase, now: TimelinePhase, occasions: ReadonlySet<OccasionPhase> = new Set()): boolean {
  const occasion = OCCASION_PHASES.find((o) => o === planned);
  if (occasion) return occasions.has(occasion);
  return TIMELINE_PHASES.indexOf(now) >= TIMELINE_PHASES.indexOf(planned as TimelinePhase);
}

/** The kinds of fault the scenario schedules. */
export type FaultKind =
  | 'kill'
  | 'temporal-partition'
  | 'temporal-reset'
  | 'temporal-latency'
  | 'storage-reset'
  | 'storage-timeout'
  | 'storage-latency'
  | 'storage-bandwidth'
  | 'azurite-restart';

/** How many faults of a kind to inject: a count spread over the backfill by the seed, or counts per phase. */
export type FaultCount = number | Partial<Record<FaultPhase, number>>;

/** One planned fault. */
export interface PlannedFault {
  readonly kind: FaultKind;
  readonly phase: FaultPhase;
}

const BACKFILL: readonly FaultPhase[] = ['backfill-early', 'backfill-middle', 'backfill-late'];

/**
 * The run's fault schedule: each count spread over the three backfill phases by the seed (a plain number) or
 * placed as given (per phase), in phase order; faults of one phase in seeded order.
 */
export function planFaults(counts: Partial<Record<FaultKind, FaultCount>>, rnd: SeededRandom): PlannedFault[] {
  const plan: PlannedFault[] = [];
  for (const [kind, count] of Object.entries(counts) as [FaultKind, FaultCount | undefined][]) {
    if (count === undefined) continue;
    if (typeof count === 'number') {
      // Round-robin from a seeded start, so n ≥ 3 covers every backfill phase.
      const first = rnd.int(0, BACKFILL.length - 1);
      for (let i = 0; i < count; i++) plan.push({ kind, phase: BACKFILL[(first + i) % BACKFILL.length] ?? 'backfill-early' });
    } else {
      for (const phase of FAULT_PHASES) for (let i = 0; i < (count[phase] ?? 0); i++) plan.push({ kind, phase });
    }
  }
  const shuffled = plan.map((p) => ({ p, key: rnd.next() }));
  shuffled.sort((a, b) => FAULT_PHASES.indexOf(a.p.phase) - FAULT_PHASES.indexOf(b.p.phase) || a.key - b.key);
  return shuffled.map((s) => s.p);
}

/** "3 (1 backfill-early, 2 live)": how many faults landed, by phase. */
export function countByPhase(phases: readonly FaultPhase[]): string {
  if (phases.length === 0) return '0';
  const parts = FAULT_PHASES.flatMap((ph) => {
    const n = phases.filter((x) => x === ph).length;
    return n > 0 ? [`${n} ${ph}`] : [];
  });
  return `${phases.length} (${parts.join(', ')})`;
}
