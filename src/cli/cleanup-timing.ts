import type { ScheduleSpec, ScheduleSpecDescription } from '@temporalio/client';
import { formatDuration, parseDuration } from '../model';
import { UsageError } from './errors';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** When a connector's retention cleanup runs: every `everyMs`, at `atMs` past midnight UTC (modulo the interval). */
export interface CleanupTiming {
  readonly everyMs: number;
  readonly atMs: number;
}

/** Daily at 03:00 UTC, when archives are quiet in most regions. */
export const DEFAULT_CLEANUP_TIMING: CleanupTiming = { everyMs: DAY_MS, atMs: 3 * HOUR_MS };

/** Temporal advises jitter: many connectors' cleanups spread over half an hour instead of listing the store at once. */
export const CLEANUP_JITTER_MS = 30 * 60_000;

const MIN_EVERY_MS = HOUR_MS;
const MAX_EVERY_MS = 31 * DAY_MS;

/**
 * Reads `--every <duration>` (1h to 31d, default 1d) and `--at <HH:MM>` (UTC, default 03:00) over `base`.
 * @throws UsageError naming the flag and what it takes
 */
export function parseCleanupTiming(flags: { readonly every?: string; readonly at?: string }, base = DEFAULT_CLEANUP_TIMING): CleanupTiming {
  let everyMs = base.everyMs;
  if (flags.every !== undefined) {
    const parsed = parseDuration(flags.every);
    if (parsed === undefined || parsed < MIN_EVERY_MS || parsed > MAX_EVERY_MS)
      throw new UsageError(`--every must be a duration from 1h to 31d such as "1d" or "12h", got "${flags.every}".`);
    everyMs = parsed;
  }
  let atMs = base.atMs;
  if (flags.at !== undefined) {
    const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(flags.at.trim());
    if (!m) throw new UsageError(`--at must be a UTC time of day HH:MM such as "03:00", got "${flags.at}".`);
    atMs = Number(m[1]) * HOUR_MS + Number(m[2]) * 60_000;
  }
  return { everyMs, atMs };
}

/**
 * The schedule's spec: an interval with an offset. Temporal counts intervals from 1970-01-01T00:00Z, so an interval
 * that divides a day (1h, 6h, 1d) runs at the same time of day every time; `at` beyond the interval wraps round it.
 */
export function cleanupSpec(timing: CleanupTiming): ScheduleSpec {
  return {
    intervals: [{ every: timing.everyMs, offset: timing.atMs % timing.everyMs }],
    jitter: Math.min(CLEANUP_JITTER_MS, timing.everyMs / 4),
  };
}

/** The timing a schedule was given, read back from its description (undefined when it was changed to another shape). */
export function timingOfSpec(spec: ScheduleSpecDescription): CleanupTiming | undefined {
  const only = spec.intervals?.length === 1 && !spec.calendars?.length ? spec.intervals[0] : undefined;
  if (!only) return undefined;
  const everyMs = Number(only.every);
  const offsetMs = Number(only.offset ?? 0);
  if (!Number.isFinite(everyMs) || !Number.isFinite(offsetMs) || everyMs <= 0) return undefined;
  return { everyMs, atMs: offsetMs };
}

/** E.g. "every 1d at 03:00 UTC" (the time of the first run of each day for intervals under a day). */
export function describeTiming(timing: CleanupTiming): string {
  const at = timing.atMs % Math.min(timing.everyMs, DAY_MS);
  const hh = String(Math.floor(at / HOUR_MS)).padStart(2, '0');
  const mm = String(Math.floor((at % HOUR_MS) / 60_000)).padStart(2, '0');
  return `every ${formatDuration(timing.everyMs)} at ${hh}:${mm} UTC`;
}
