/** A half-open collection window [from, to) over conversation end times, in epoch ms. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

export const TEN_MINUTES_MS = 10 * 60 * 1000;

/** LivePerson rounds `from` down and `to` up to 10-minute boundaries; this is the covering range to ask for. */
export function coveringRange(w: TimeWindow): TimeWindow {
  const from = Math.floor(w.from / TEN_MINUTES_MS) * TEN_MINUTES_MS;
  const to = Math.ceil(w.to / TEN_MINUTES_MS) * TEN_MINUTES_MS;
  return { from, to };
}

/** The exact client-side filter: a conversation belongs to exactly one window. */
export function inWindow(w: TimeWindow, endTime: number): boolean {
  return endTime >= w.from && endTime < w.to;
}

/** A compact, sortable label for blob names and logs, e.g. `20261125T1420Z-20261125T1430Z`. */
export function windowLabel(w: TimeWindow): string {
  return `${compactIso(w.from)}-${compactIso(w.to)}`;
}

/**
 * The label of a window's blobs. A reimport (or retry of failed items) processes windows the connector
 * already did: its `scope` keeps its raw, working, log and manifest blobs apart from the original ones.
 */
export function scopedWindowLabel(w: TimeWindow, scope?: string): string {
  return scope ? `${windowLabel(w)}~${scope.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 60)}` : windowLabel(w);
}

export function compactIso(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** UTC day of a time, `YYYY-MM-DD`: the unit of the connector log. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The next window to collect: from the cursor, at most `maxSize` long, never closer to `now` than `lag`.
 * Returns undefined when less than `minSize` is ready (the connector is live and should wait).
 */
export function nextWindow(
  cursor: number,
  now: number,
  opts: { readonly maxSizeMs: number; readonly minSizeMs: number; readonly lagMs: number },
): TimeWindow | undefined {
  const horizon = now - opts.lagMs;
  if (horizon - cursor < opts.minSizeMs) return undefined;
  return { from: cursor, to: Math.min(cursor + opts.maxSizeMs, horizon) };
}
