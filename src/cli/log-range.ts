import { dayRange, readDayLog, type DayLog, type LogStore } from './day-log';

/** The day logs of a connector over a range of UTC days (default: the last 7), oldest first. */
export interface LogRange {
  readonly days: readonly string[];
  readonly logs: readonly DayLog[];
}

/**
 * Reads a connector's per-day log from blob storage for `from`..`to` (UTC days, `YYYY-MM-DD`; validated as
 * the `log` command's flags). Used by `log` and by the console's Download log, so both give the same rows.
 */
export async function readLogRange(store: LogStore, connector: string, from?: string, to?: string): Promise<LogRange> {
  const days = dayRange(from, to);
  const logs: DayLog[] = [];
  for (const day of days) logs.push(await readDayLog(store, connector, day));
  return { days, logs };
}
