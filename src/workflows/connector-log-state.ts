import { addCounts, zeroCounts, type ConversationSource, type FailureRow, type LogCounts } from '../model';

const MAX_DAYS = 14;
const MAX_RECENT_FAILURES = 20;

type DayCounts = { day: string; counts: LogCounts };

/** The bounded part of the connector log that the workflow carries (the complete log is in blob storage). */
export interface LogState {
  totals: LogCounts;
  days: DayCounts[];
  recentFailures: FailureRow[];
  /**
   * Legacy chat's share of `totals` and `days`, once chat has been on (messaging's is the rest): the status and
   * the day log count per source as well as in total.
   */
  chat?: { totals: LogCounts; days: DayCounts[] };
}

export function emptyLogState(): LogState {
  return { totals: zeroCounts(), days: [], recentFailures: [] };
}

/** Adds one page's result to the totals and its UTC day (and to its source's, for chat), keeping only the last days and rows. */
export function recordPage(
  state: LogState,
  day: string,
  counts: LogCounts,
  failures: readonly FailureRow[],
  source: ConversationSource = 'messaging',
): void {
  state.totals = addCounts(state.totals, counts);
  addToDay(state.days, day, counts);
  if (source === 'chat') {
    const chat = (state.chat ??= { totals: zeroCounts(), days: [] });
    chat.totals = addCounts(chat.totals, counts);
    addToDay(chat.days, day, counts);
  }
  state.recentFailures.push(...failures);
  if (state.recentFailures.length > MAX_RECENT_FAILURES) {
    state.recentFailures.splice(0, state.recentFailures.length - MAX_RECENT_FAILURES);
  }
}

function addToDay(days: DayCounts[], day: string, counts: LogCounts): void {
  const existing = days.find((d) => d.day === day);
  if (existing) existing.counts = addCounts(existing.counts, counts);
  else days.push({ day, counts: addCounts(zeroCounts(), counts) });
  days.sort((a, b) => a.day.localeCompare(b.day));
  if (days.length > MAX_DAYS) days.splice(0, days.length - MAX_DAYS);
}

/** A deep copy (the state is small and plain): to roll back the counts of a window that is run again. */
export function copyLogState(state: LogState): LogState {
  const copyDays = (days: DayCounts[]): DayCounts[] => days.map((d) => ({ day: d.day, counts: { ...d.counts } }));
  return {
    totals: { ...state.totals },
    days: copyDays(state.days),
    recentFailures: [...state.recentFailures],
    ...(state.chat ? { chat: { totals: { ...state.chat.totals }, days: copyDays(state.chat.days) } } : {}),
  };
}
