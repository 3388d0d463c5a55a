import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Asks V8 for a full collection once every `everyBytes` of item memory the activities have let go of: an item's
 * buffers stay resident until V8 collects, which it does only once tens of MB of such external memory have piled
 * up; with many connectors that garbage comes on top of the items in flight (figures: bench/README.md).
 * A full collection V8 makes on its own (see {@link observeFullCollections}) frees the same garbage, so the count
 * starts again from it: a forced one (atomic, the whole heap on the main thread) would only repeat its work.
 */
export class MemoryReclaimer {
  private sinceLast = 0;
  private collections = 0;

  constructor(
    readonly everyBytes: number,
    private readonly collect: (() => void) | undefined,
  ) {}

  /** Full collections asked for so far (for tests and metrics). */
  get collected(): number {
    return this.collections;
  }

  /** V8 has made a full collection: what was let go of before it is collected. */
  fullCollectionSeen(): void {
    this.sinceLast = 0;
  }

  /** `bytes` of item memory are no longer held; collects when enough has been let go since the last collection. */
  released(bytes: number): void {
    if (this.collect === undefined || bytes <= 0) return;
    this.sinceLast += bytes;
    if (this.sinceLast < this.everyBytes) return;
    this.sinceLast = 0;
    this.collections++;
    this.collect();
  }
}

/**
 * V8's `gc()`, made available at run time (as jest's leak detector does) so the worker need not be started
 * with `--expose-gc`; undefined if this runtime refuses.
 */
export function exposedGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `onFull` after every full (major) collection V8 makes, forced or not. Returns a function that stops it.
 */
export function observeFullCollections(onFull: () => void): () => void {
  const observer = new PerformanceObserver((list) => {
    const entries = list.getEntries() as unknown as readonly { readonly detail?: { readonly kind?: number } }[];
    if (entries.some((e) => e.detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR)) onFull();
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
