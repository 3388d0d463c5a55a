import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Asks V8 for a full collection once every `everyBytes` of item memory the activities have let go of: an item's
 * buffers stay resident until V8 collects, which it does only once tens of MB of such external memory have piled
 * up; with many connectors that garbage comes on top of the items in flight (figures: bench/README.md).
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

  /** `bytes` of item memory are no longer held; collects when enough has been let go since the last time. */
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
