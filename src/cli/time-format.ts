import type { Command } from 'commander';
import { UsageError } from './errors';
import type { CliEnv } from './io';

/** How text output shows times: ISO 8601 UTC (the default, as in JSON and CSV) or the operator's local time. */
export const TIME_FORMATS = ['iso', 'local'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** Formats an instant (epoch ms or an ISO string) for text output; undefined or unparsable shows as "-". */
export type FormatTime = (t: number | string | undefined) => string;

/** `--time-format`, else `LPA_TIME_FORMAT`, else iso. */
export function timeFormatOf(cmd: Command, env: CliEnv): TimeFormat {
  const flag = cmd.optsWithGlobals<{ timeFormat?: string }>().timeFormat;
  const value = (flag ?? env.LPA_TIME_FORMAT ?? 'iso').toLowerCase();
  if (!(TIME_FORMATS as readonly string[]).includes(value)) {
    const from = flag !== undefined ? '--time-format' : 'LPA_TIME_FORMAT';
    throw new UsageError(`${from} must be ${TIME_FORMATS.join(' or ')}, got "${value}".`);
  }
  return value as TimeFormat;
}

/** ISO 8601 UTC with milliseconds, as in JSON and CSV. */
export function isoTime(t: number | string | undefined): string {
  const ms = typeof t === 'string' ? Date.parse(t) : t;
  return ms === undefined || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString();
}

/**
 * The formatter for `format`. `local` is `2026-03-02 11:00:00 +01:00` in the time zone of `TZ` (the
 * environment's, else the system's), with the offset, so a reader never guesses the zone.
 */
export function timeFormatter(format: TimeFormat, env: CliEnv = {}): FormatTime {
  if (format === 'iso') return isoTime;
  const zone = env.TZ !== undefined && env.TZ !== '' ? env.TZ : undefined;
  let parts: Intl.DateTimeFormat;
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      ...(zone !== undefined ? { timeZone: zone } : {}),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
  } catch {
    throw new UsageError(`TZ is "${zone ?? ''}", which is not a time zone (e.g. Europe/Paris); fix or unset it.`);
  }
  return (t) => {
    const ms = typeof t === 'string' ? Date.parse(t) : t;
    if (ms === undefined || !Number.isFinite(ms)) return '-';
    const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const offset = (p.timeZoneName ?? 'GMT').replace(/^GMT$/, 'GMT+00:00').replace(/^GMT/, '');
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${offset}`;
  };
}
