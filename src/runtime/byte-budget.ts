/** Gives back what `take` granted; idempotent. */
export type Release = () => void;

/**
 * The bytes that running activities of this worker may hold in memory at once (archive items being imported),
 * granted first come, first served. A request larger than the whole budget is granted alone. With it, memory
 * follows the size of the items in flight, not the number of activities: 16 imports of small items run side by
 * side, 16 imports of 5 MB items take turns.
 */
export class ByteBudget {
  private used = 0;
  private readonly queue: { readonly bytes: number; readonly grant: () => void }[] = [];

  /** @param onRelease told how many bytes were given back (the worker's MemoryReclaimer). */
  constructor(
    readonly capacity: number,
    private readonly onRelease?: (bytes: number) => void,
  ) {}

  /** Bytes granted now (for metrics and tests). */
  get inUse(): number {
    return this.used;
  }

  async take(bytes: number): Promise<Release> {
    const n = Math.max(0, Math.min(bytes, this.capacity));
    if (this.queue.length === 0 && this.used + n <= this.capacity) this.used += n;
    else await new Promise<void>((grant) => this.queue.push({ bytes: n, grant }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= n;
      this.drain();
      this.onRelease?.(n);
    };
  }

  private drain(): void {
    for (let next = this.queue[0]; next && this.used + next.bytes <= this.capacity; next = this.queue[0]) {
      this.queue.shift();
      this.used += next.bytes;
      next.grant();
    }
  }
}
