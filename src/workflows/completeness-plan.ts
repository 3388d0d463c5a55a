/**
 * The daily completeness proof's bookkeeping, free of I/O (runs in the workflow). A UTC day is proven once it
 * is older than the late-arrival sweep's horizon (cursor − lateArrivalSweep): whatever the windows and sweeps
 * could find is in a manifest by then. A new day is checked as soon as it closes; a checked day is checked again
 * every `completenessCheck` while it is incomplete or younger than `completenessRecheck` (LivePerson may index a
 * conversation late), then it is settled.
 */
import { utcDay, type CompletenessState, type ConnectorConfig, type DayCheck } from '../model';

const DAY_MS = 86_400_000;
/** Days one proof activity checks at most (a long backfill is proven in several calls). */
export const MAX_DAYS_PER_CHECK = 7;
/** Settled days kept in the state for the status (newest). */
const SETTLED_SHOWN = 7;

export interface DayToProve {
  readonly day: string;
  readonly from: number;
  readonly to: number;
}

export function completenessEnabled(config: ConnectorConfig): boolean {
  return config.schedule.completenessCheckMs > 0;
}

/** The days to prove now (none: nothing is due), oldest first. */
export function daysToProve(config: ConnectorConfig, state: CompletenessState | undefined, cursor: number, now: number): DayToProve[] {
  if (!completenessEnabled(config)) return [];
  const s = config.schedule;
  const closedBefore = floorDay(cursor - s.lateArrivalSweepMs); // days ending at or before it are closed
  const out: DayToProve[] = [];
  if (state && now - state.lastAt >= s.completenessCheckMs) {
    for (const d of state.open) out.push(span(config, Date.parse(`${d.day}T00:00:00Z`)));
  }
  const firstNew = Math.max(floorDay(s.startAt), state ? Date.parse(`${state.nextDay}T00:00:00Z`) : -Infinity);
  for (let t = firstNew; t + DAY_MS <= closedBefore && out.length < MAX_DAYS_PER_CHECK; t += DAY_MS) out.push(span(config, t));
  return out.slice(0, MAX_DAYS_PER_CHECK);
}

/** The state after the given checks (`foundLate`: versions a repair archived after a check found them missing). */
export function afterProof(
  config: ConnectorConfig,
  state: CompletenessState | undefined,
  checks: readonly DayCheck[],
  foundLate: number,
  now: number,
): CompletenessState {
  const open = new Map((state?.open ?? []).map((d) => [d.day, d]));
  let nextDay = state?.nextDay ?? utcDay(config.schedule.startAt);
  for (const c of checks) {
    open.set(c.day, { ...c, checkedAt: now });
    const after = utcDay(Date.parse(`${c.day}T00:00:00Z`) + DAY_MS);
    if (after > nextDay) nextDay = after;
  }
  const settled = [...(state?.settled ?? [])];
  const stillOpen: CompletenessState['open'][number][] = [];
  for (const d of [...open.values()].sort((a, b) => a.day.localeCompare(b.day))) {
    const dayEnd = Date.parse(`${d.day}T00:00:00Z`) + DAY_MS;
    if (d.status === 'expired' || (d.status === 'complete' && now - dayEnd >= config.schedule.completenessRecheckMs)) settled.push(d);
    else stillOpen.push(d);
  }
  return {
    lastAt: now,
    nextDay,
    open: stillOpen,
    settled: settled.sort((a, b) => a.day.localeCompare(b.day)).slice(-SETTLED_SHOWN),
    foundLate: (state?.foundLate ?? 0) + foundLate,
  };
}

/** Incomplete days older than the sweep horizon: what the alert and the status call out. */
export function incompleteDays(state: CompletenessState | undefined): readonly DayCheck[] {
  return (state?.open ?? []).filter((d) => d.status === 'incomplete');
}

function span(config: ConnectorConfig, dayStart: number): DayToProve {
  return { day: utcDay(dayStart), from: Math.max(dayStart, config.schedule.startAt), to: dayStart + DAY_MS };
}

function floorDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
