import { parse } from 'csv-parse/sync';
import { safeSegment, type ConnectorConfig, type TimeWindow } from '../model';
import type { ActivityDeps } from './ports';
import { heartbeat } from '../runtime/heartbeat';

export interface FailedWindowsInput {
  readonly config: ConnectorConfig;
  /** UTC days (YYYY-MM-DD) whose log to read, inclusive. */
  readonly fromDay: string;
  readonly toDay: string;
}

export interface FailedWindowsResult {
  /** Small windows that cover the end times of every failed item of those days. */
  readonly windows: readonly TimeWindow[];
  readonly failedRows: number;
}

const DAY_MS = 86_400_000;

/**
 * retry-failed, step 1: reads the per-day log parts and returns windows covering the conversation
 * versions (their end times) that failed, merged so that a window is at most `backfillWindow` long.
 * Re-importing those windows checks before each create, so only what is missing gets written.
 */
export function makeFailedWindows(deps: ActivityDeps) {
  return async function failedWindows(input: FailedWindowsInput): Promise<FailedWindowsResult> {
    const { config } = input;
    const ends = new Set<number>();
    let failedRows = 0;
    const from = Date.parse(`${input.fromDay}T00:00:00Z`);
    const to = Date.parse(`${input.toDay}T00:00:00Z`);
    for (let day = from; day <= to; day += DAY_MS) {
      const prefix = `${safeSegment(config.name)}/${new Date(day).toISOString().slice(0, 10)}/`;
      for (const name of await deps.staging.list('logs', prefix)) {
        heartbeat();
        const rows = parse<Record<string, string>>(await deps.staging.getText('logs', name), { columns: true, skip_empty_lines: true });
        for (const row of rows) {
          if (row.result !== 'failed') continue;
          failedRows++;
          const end = Number(row.version);
          if (Number.isFinite(end) && end > 0) ends.add(end);
        }
      }
    }
    return {
      windows: coverEnds(
        [...ends].sort((a, b) => a - b),
        config.schedule.backfillWindowMs,
      ),
      failedRows,
    };
  };
}

/** Merges sorted end times into windows [first, last + 1) no longer than maxMs. */
export function coverEnds(sortedEnds: readonly number[], maxMs: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (const t of sortedEnds) {
    const last = windows[windows.length - 1];
    if (last && t + 1 - last.from <= maxMs) windows[windows.length - 1] = { from: last.from, to: t + 1 };
    else windows.push({ from: t, to: t + 1 });
  }
  return windows;
}
