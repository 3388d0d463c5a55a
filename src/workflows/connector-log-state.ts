import { addCounts, zeroCounts, type FailureRow, type LogCounts } from '../model';

const MAX_DAYS = 14;
const MAX_RECENT_FAILURES = 20;

/** The bounded part of the connector log that the workflow carries (the complete log is in blob storage). */
export interface LogState {
  totals: LogCounts;
  days: { day: string; counts: LogCounts }[];
  recentFailures: FailureRow[];
}

export function emptyLogState(): LogState {
  return { totals: zeroCounts(), days: [], recentFailures: [] };
}

/** Adds one page's result to the totals and its UTC day, keeping only the last days and rows. */
export function recordPage(state: LogState, day: string, counts: LogCounts, failures: readonly FailureRow[]): void {
  state.totals = addCounts(state.totals, counts);
  const existing = state.days.find((d) => d.day === day);
  if (existing) existing.counts = addCounts(existing.counts, counts);
  else state.days.push({ day, counts: addCounts(zeroCounts(), counts) });
  state.days.sort((a, b) => a.day.localeCompare(b.day));
  if (state.days.length > MAX_DAYS) state.days.splice(0, state.days.length - MAX_DAYS);
  state.recentFailures.push(...failures);
  if (state.recentFailures.length > MAX_RECENT_FAILURES) {
    state.recentFailures.splice(0, state.recentFailures.length - MAX_RECENT_FAILURES);
  }
}

/** A deep copy (the state is small and plain): to roll back the counts of a window that is run again. */
export function copyLogState(state: LogState): LogState {
  return {
    totals: { ...state.totals },
    days: state.days.map((d) => ({ day: d.day, counts: { ...d.counts } })),
    recentFailures: [...state.recentFailures],
  };
}
