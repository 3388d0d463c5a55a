import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** How long a workflow counts as active on this worker after one of its activities started. */
export const ACTIVE_WORKFLOW_MS = 60_000;

/**
 * How many of this worker's activity slots (`maxConcurrentActivityTaskExecutions`) are taken, and how many
 * workflows (connectors, reimports) have run activities here lately. When every slot is taken, the worker stops
 * polling and further tasks wait in the task queue; when more workflows are active than half the slots (a
 * connector runs two page chains by default), they cannot all run at once either. Either way the worker is
 * crowded: other connectors are waiting for this pool, and a new window is cut into smaller batches
 * (`schedule.busyBatchSize`) so that no connector's long activities hold slots while the others queue.
 */
export class ActivitySlots {
  private running = 0;
  /** Workflow id → when one of its activities last started here. */
  private readonly lastStart = new Map<string, number>();

  constructor(
    readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {
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

  /** Workflows with an activity started here in the last ACTIVE_WORKFLOW_MS. */
  get activeWorkflows(): number {
    const since = this.now() - ACTIVE_WORKFLOW_MS;
    for (const [id, at] of this.lastStart) if (at < since) this.lastStart.delete(id);
    return this.lastStart.size;
  }

  /** Every slot is taken, or more workflows are active than half the slots. */
  get crowded(): boolean {
    return this.full || this.activeWorkflows * 2 > this.capacity;
  }

  /** Counts an activity of `workflowId` from start to end (what the interceptor does). */
  async run<T>(workflowId: string | undefined, body: () => Promise<T>): Promise<T> {
    this.running++;
    if (workflowId !== undefined) {
      this.lastStart.delete(workflowId); // re-inserted last: the map stays in order of last start
      this.lastStart.set(workflowId, this.now());
    }
    try {
      return await body();
    } finally {
      this.running--;
    }
  }

  /** For `Worker.create({ interceptors: { activity } })`. */
  readonly interceptor: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      execute: (input, next) => this.run(ctx.info.workflowExecution?.workflowId, () => next(input)),
    },
  });
}
