import type { TimeWindow } from '../model';

/**
 * Windows the live follower collects in-process lie on a fixed grid (multiples of `gridMs` since the epoch), the
 * first starting at the cursor. So every attempt of one follow, started from the same cursor, cuts the same
 * windows whenever it runs: a retried follow rewrites the same log parts and manifests instead of adding others
 * that list the same pairs again.
 */
export function gridFloor(ms: number, gridMs: number): number {
  return Math.floor(ms / gridMs) * gridMs;
}

/** How far the follower may look: the last grid point at or before now − lag. */
export function followHorizon(now: number, lagMs: number, gridMs: number): number {
  return gridFloor(now - lagMs, gridMs);
}

/**
 * The window to collect for the earliest close found after the cursor (`firstClose`, below `horizon`): the grid
 * step holding it, starting no earlier than the cursor. [cursor, window.from) had nothing closed and is passed
 * with no window. `firstClose` undefined (a record with no usable end time): the whole span up to the horizon,
 * which the workflow's own window collects (see followLive).
 */
export function followWindow(cursor: number, firstClose: number, gridMs: number): TimeWindow {
  const from = Math.max(cursor, gridFloor(firstClose, gridMs));
  return { from, to: gridFloor(firstClose, gridMs) + gridMs };
}

/** When the next grid step becomes collectable (its end reaches now − lag), a second past it. */
export function nextFollowPoll(now: number, lagMs: number, gridMs: number): number {
  return followHorizon(now, lagMs, gridMs) + gridMs + lagMs + 1_000;
}
