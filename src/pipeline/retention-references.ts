/**
 * Which sealed items a retention cleanup must keep although they are older than the cutoff.
 *
 * Items are named by account (`<account>/<conversation>/<version>.eml`), not by connector: every connector of an
 * account seals a conversation version into the same blob, and a connector that starts later (or a reimport)
 * re-uses an item sealed long before. So an item's age alone does not say it is no longer needed: it is kept while
 * a manifest of any connector written within the retention names it, or while a window of any connector that
 * covers its conversation's end time is still in progress (its raw or working blobs exist).
 */
import { inWindow, type TimeWindow } from '../model';
import type { WindowManifest } from './manifest';

/**
 * How far the clocks behind a conversation's end time (LivePerson's), a window's bounds (the worker's) and a blob's
 * Last-Modified (the store's) may disagree: the name-based shortcuts below allow this much on the safe side.
 */
export const CLOCK_SKEW_MS = 15 * 60_000;

const COMPACT_ISO = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function compactIsoToMs(text: string): number | undefined {
  const m = COMPACT_ISO.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The window a manifest, raw or working blob belongs to, from its name: `<connector>/<from>-<to>[~scope].json`
 * or `<connector>/<from>-<to>[~scope]/page-…`. Undefined for a name of another shape.
 */
export function windowOfBlobName(name: string): TimeWindow | undefined {
  const label = name.split('/')[1];
  const m = label ? /^(\d{8}T\d{6}Z)-(\d{8}T\d{6}Z)(?:~[^/]*)?(?:\.json)?$/.exec(label) : null;
  if (!m) return undefined;
  const from = compactIsoToMs(m[1]!);
  const to = compactIsoToMs(m[2]!);
  // Labels drop milliseconds: widen by one second so the parsed window always contains the real one.
  return from !== undefined && to !== undefined ? { from, to: to + 1_000 } : undefined;
}

/** A conversation version's end time from its item name (`<account>/<conversation>/<endTimeMs>.eml`), if it has one. */
export function itemEndTime(itemName: string): number | undefined {
  const m = /\/(\d{1,16})\.eml$/.exec(itemName);
  return m ? Number(m[1]) : undefined;
}

/**
 * Whether a manifest may name an item older than `cutoff`, judged from its name alone, so that a cleanup reads only
 * those. Its items' conversations ended inside its window and were sealed after they ended: a window that starts
 * after the cutoff (give or take the clock skew) names only items sealed after it. Names of another shape: maybe.
 */
export function mayNameItemsBefore(manifestName: string, cutoff: number): boolean {
  const w = windowOfBlobName(manifestName);
  return w === undefined || w.from < cutoff + CLOCK_SKEW_MS;
}

/** Why a due item is kept, or undefined when nothing still needs it. */
export type KeptBecause = 'named-by-manifest' | 'window-in-progress';

/**
 * The references a cleanup collected before deleting: item names that manifests within the retention name, and
 * the windows still in progress. Fed by the cleanup activity, asked once per due item.
 */
export class ItemReferences {
  private readonly named = new Set<string>();
  private readonly inProgress: TimeWindow[] = [];

  /** @param itemPrefix the account's items (`<account>/`): names outside it are not this cleanup's business. */
  constructor(private readonly itemPrefix: string) {}

  /** Records the items a manifest written within the retention names. */
  addManifest(manifest: Pick<WindowManifest, 'items'>): void {
    for (const item of manifest.items ?? []) {
      if (typeof item?.blob === 'string' && item.blob.startsWith(this.itemPrefix)) this.named.add(item.blob);
    }
  }

  /** Records a window whose raw or working blobs exist: it may be about to import any item whose conversation ended in it. */
  addWindowInProgress(window: TimeWindow): void {
    if (!this.inProgress.some((w) => w.from === window.from && w.to === window.to)) this.inProgress.push(window);
  }

  /** Why the due item must stay, or undefined. An item whose end time cannot be read stays while any window is in progress. */
  keeps(itemName: string): KeptBecause | undefined {
    if (this.named.has(itemName)) return 'named-by-manifest';
    if (this.inProgress.length === 0) return undefined;
    const end = itemEndTime(itemName);
    if (end === undefined) return 'window-in-progress';
    return this.inProgress.some((w) => inWindow({ from: w.from - CLOCK_SKEW_MS, to: w.to + CLOCK_SKEW_MS }, end))
      ? 'window-in-progress'
      : undefined;
  }

  /** How many item names and windows were collected (for the activity's log line). */
  get size(): { readonly namedItems: number; readonly windowsInProgress: number } {
    return { namedItems: this.named.size, windowsInProgress: this.inProgress.length };
  }
}
