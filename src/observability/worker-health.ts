import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Worker } from '@temporalio/worker';
import type { HealthProbes, ProbeResult } from './health-server';
import type { LpMetrics } from './metrics';

/** The part of a Worker that health reads. */
export type WatchedWorker = Pick<Worker, 'getState' | 'getStatus'>;

/** Options of {@link WorkerHealth}. */
export interface WorkerHealthOptions {
  /** Task queue named in the answers. */
  readonly taskQueue: string;
  readonly metrics?: Pick<LpMetrics, 'workerReady'>;
  /** Says when readiness changes (one line per change). */
  readonly log?: (message: string, meta?: Record<string, unknown>) => void;
  /** How often the state is looked at (and, until it is seen, the server asked about polling); default 1 s. */
  readonly checkEveryMs?: number;
}

const DRAINING_STATES = new Set(['STOPPING', 'DRAINING', 'DRAINED']);

/**
 * Liveness and readiness of the worker process, for {@link startHealthServer}:
 * - **ready** once the worker runs and the Temporal server lists it among its task queue's pollers; not
 *   ready before that (storage, connection, bundle loading) and from the moment a shutdown starts (SIGTERM:
 *   the worker stops polling and drains its running activities);
 * - **live** while the event loop answers (any answer at all proves it) and neither the worker nor its
 *   pollers have failed inside Temporal's core. Draining is live: a probe must not kill a worker that is
 *   finishing its activities.
 *
 * Readiness also drives the `lp_worker_ready` gauge.
 */
export class WorkerHealth implements HealthProbes {
  private worker: WatchedWorker | undefined;
  private pollingSeen = false;
  private checking = false;
  private lastCheckProblem: string | undefined;
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private loopDelayResetAt = Date.now();

  constructor(private readonly options: WorkerHealthOptions) {
    this.loopDelay.enable();
    options.metrics?.workerReady(false);
  }

  /**
   * Follows `worker` from now on; `serverSeesPolling` is asked (one call at a time) until it says yes.
   * Call it right before `worker.run()`.
   */
  watch(worker: WatchedWorker, serverSeesPolling: () => Promise<boolean>): void {
    this.worker = worker;
    this.timer = setInterval(() => this.tick(serverSeesPolling), this.options.checkEveryMs ?? 1_000);
    this.timer.unref();
    this.tick(serverSeesPolling);
  }

  /** Stops the timer and the event-loop monitor. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.loopDelay.disable();
  }

  liveness(): ProbeResult {
    const detail = { eventLoopDelayMs: this.loopDelayMs(), ...this.workerDetail() };
    if (!this.worker) return { ok: true, reason: 'starting', detail };
    const status = this.worker.getStatus();
    if (status.runState === 'FAILED') return { ok: false, reason: 'the Temporal worker failed; the process exits', detail };
    for (const [what, state] of [
      ['workflow', status.workflowPollerState],
      ['activity', status.activityPollerState],
    ] as const) {
      if (state === 'FAILED') return { ok: false, reason: `the ${what} task poller failed inside Temporal's core`, detail };
    }
    return { ok: true, reason: DRAINING_STATES.has(status.runState) ? 'draining' : 'running', detail };
  }

  readiness(): ProbeResult {
    return { ...this.readinessNow(), detail: this.workerDetail() };
  }

  private readinessNow(): Omit<ProbeResult, 'detail'> {
    const queue = `task queue "${this.options.taskQueue}"`;
    if (!this.worker) return { ok: false, reason: 'starting: blob storage, Temporal connection and workflow code are not ready yet' };
    const state = this.worker.getState();
    if (state === 'INITIALIZED') return { ok: false, reason: `starting: the worker has not begun to poll ${queue}` };
    if (DRAINING_STATES.has(state))
      return { ok: false, reason: `draining: shutting down (${state}), no new tasks taken, running activities finishing` };
    if (state !== 'RUNNING') return { ok: false, reason: `the worker is ${state}` };
    if (!this.pollingSeen) {
      const problem = this.lastCheckProblem ? ` (last check: ${this.lastCheckProblem})` : '';
      return { ok: false, reason: `starting: waiting until the Temporal server sees this worker poll ${queue}${problem}` };
    }
    return { ok: true, reason: `polling ${queue}` };
  }

  private tick(serverSeesPolling: () => Promise<boolean>): void {
    if (Date.now() - this.loopDelayResetAt > 60_000) {
      this.loopDelay.reset();
      this.loopDelayResetAt = Date.now();
    }
    if (!this.pollingSeen && !this.checking && this.worker?.getState() === 'RUNNING') {
      this.checking = true;
      serverSeesPolling().then(
        (seen) => {
          this.checking = false;
          this.pollingSeen ||= seen;
          this.lastCheckProblem = seen ? undefined : 'not listed among the pollers yet';
          this.update();
        },
        (err: unknown) => {
          this.checking = false;
          this.lastCheckProblem = err instanceof Error ? err.message : String(err);
        },
      );
    }
    this.update();
  }

  private update(): void {
    const now = this.readinessNow();
    if (now.ok === this.ready) return;
    this.ready = now.ok;
    this.options.metrics?.workerReady(now.ok);
    this.options.log?.(`lp-archive worker ${now.ok ? 'ready' : 'not ready'}: ${now.reason}`, { ready: now.ok });
  }

  private workerDetail(): Record<string, unknown> {
    if (!this.worker) return { workerState: 'not created' };
    const s = this.worker.getStatus();
    return { workerState: s.runState, inFlightActivities: s.numInFlightActivities, taskQueue: this.options.taskQueue };
  }

  /** Event-loop delay over the last minute or so: how late timers ran (diagnosis only; an answer proves the loop runs). */
  private loopDelayMs(): { p99: number; max: number } {
    const ms = (ns: number): number => Math.round((Number.isFinite(ns) ? ns : 0) / 1e6);
    return { p99: ms(this.loopDelay.percentile(99)), max: ms(this.loopDelay.max) };
  }
}
