import type { ManagedProcess } from '../lib/process';
import { startWorkerProcess } from '../lib/worker-process';

/** What every worker of a fleet gets in its environment (besides the parent's). */
export interface FleetEnv {
  readonly TEMPORAL_ADDRESS: string;
  readonly TEMPORAL_NAMESPACE: string;
  readonly AZURE_STORAGE_CONNECTION_STRING: string;
  readonly LPA_CONTAINER_PREFIX: string;
  readonly LPA_TASK_QUEUE: string;
  /** Plus the credentials the connector's `credentialsRef`s name. */
  readonly [name: string]: string;
}

/** One worker slot: a child process that is killed and restarted in place. */
interface Slot {
  proc: ManagedProcess | undefined;
  starts: number;
}

/**
 * Real worker processes (`node --import tsx src/worker.ts`) serving one task queue, which a fault test kills
 * with SIGKILL (no shutdown, no last heartbeat: what a crashed VM or an OOM kill does) and starts again.
 */
export class WorkerFleet {
  private readonly slots: Slot[];
  /** Every SIGKILL sent, for the fault table. */
  kills = 0;
  /** Worker processes that ended without being killed by us (a crash the test did not cause). */
  unexpectedExits = 0;
  private stopping = false;
  /** How long each start took until the worker polled (for tuning the tests). */
  readonly startMs: number[] = [];

  constructor(
    private readonly env: FleetEnv,
    size: number,
    private readonly log: (line: string) => void = () => undefined,
    /** Per-slot additions to `env`, e.g. each worker's own proxy to Temporal. */
    private readonly slotEnv: (i: number) => Readonly<Record<string, string>> = () => ({}),
  ) {
    this.slots = Array.from({ length: size }, () => ({ proc: undefined, starts: 0 }));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Starts the worker of slot `i` and resolves once it polls its task queue. */
  async start(i: number): Promise<void> {
    const slot = this.slot(i);
    if (slot.proc && !slot.proc.exitInfo()) return;
    slot.starts++;
    const name = `worker-${i}#${slot.starts}`;
    const t0 = Date.now();
    await startWorkerProcess({
      name,
      onSpawn: (p) => this.watch(slot, name, p),
      env: { LPA_METRICS_PORT: '0', ...this.env, ...this.slotEnv(i) },
      // JSON lines; only errors (and anything not JSON, e.g. a crash trace) are worth showing.
      log: (line) => {
        if (line.includes('"level":"ERROR"') || !line.startsWith('{')) this.log(`[${name}] ${line.slice(0, 400)}`);
      },
    });
    this.startMs.push(Date.now() - t0);
  }

  /** From its spawn on, a worker can be killed, and an exit we did not cause is counted and shown. */
  private watch(slot: Slot, name: string, proc: ManagedProcess): void {
    slot.proc = proc;
    void proc.exited.then((exit) => {
      if (!this.stopping && exit.signal !== 'SIGKILL') {
        this.unexpectedExits++;
        this.log(`[${name}] exited by itself (code ${exit.code}, signal ${exit.signal}); last output:\n${proc.recentOutput().join('\n')}`);
      }
    });
  }

  async startAll(): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.start(i)));
  }

  /** SIGKILLs the worker of slot `i` (if it runs) and waits until it is gone. */
  async kill(i: number): Promise<boolean> {
    const proc = this.slot(i).proc;
    if (!proc || proc.exitInfo()) return false;
    process.kill(proc.pid, 'SIGKILL');
    this.kills++;
    await proc.exited;
    return true;
  }

  /** Whether slot `i` has a live worker. */
  running(i: number): boolean {
    const proc = this.slot(i).proc;
    return proc !== undefined && proc.exitInfo() === undefined;
  }

  /** Restarts every slot whose worker has died, whatever the cause. */
  async reviveAll(): Promise<void> {
    await Promise.all(this.slots.map((_, i) => (this.running(i) ? Promise.resolve() : this.start(i))));
  }

  /** Stops every worker (SIGTERM, then SIGKILL after the grace time). */
  async stopAll(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.flatMap((s) => (s.proc ? [s.proc.stop(graceMs)] : [])));
  }

  private slot(i: number): Slot {
    const s = this.slots[i];
    if (!s) throw new RangeError(`No worker slot ${i} (the fleet has ${this.slots.length})`);
    return s;
  }
}
