import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/**
 * How many of this worker's activity slots (`maxConcurrentActivityTaskExecutions`) are taken. When all are,
 * the worker stops polling and further tasks wait in the task queue: then other connectors are waiting for
 * this pool, and a new window is cut into smaller batches (`schedule.busyBatchSize`) so that no connector's
 * long activities hold slots while the others queue (see fetch-page).
 */
export class ActivitySlots {
  private running = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`activity slots must be a positive integer, got ${capacity}`);
  }

  /** Activities running on this worker now. */
  get inUse(): number {
    return this.running;
  }

  /** Every slot is taken (the caller's own activity counts). */
  get full(): boolean {
    return this.running >= this.capacity;
  }

  /** For `Worker.create({ interceptors: { activity } })`: counts each activity from start to end. */
  readonly interceptor: ActivityInterceptorsFactory = () => ({
    inbound: {
      execute: async (input, next) => {
        this.running++;
        try {
          return await next(input);
        } finally {
          this.running--;
        }
      },
    },
  });
}
