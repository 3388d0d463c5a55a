import { ToxiproxyServer, type Toxic, type ToxicStream } from '../lib/toxiproxy';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One network fault as it was injected, for the fault table. */
export interface NetworkInjection {
  readonly route: string;
  readonly toxic: Toxic['type'];
  readonly durationMs: number;
  /** Seconds since the run started. */
  readonly atS: number;
}

/**
 * The workers' network as the fault suite sees it: every worker reaches the Temporal frontend through a
 * toxiproxy proxy of its own (so one worker can be cut off while the others, and the test's client, are not),
 * and all workers reach Azurite through one shared proxy. LivePerson and Graph stay direct: a worker cut
 * from Temporal still reaches them, which is what makes a cut-off import race its retry.
 */
export class WorkerNetwork {
  readonly injections: NetworkInjection[] = [];
  private readonly healing = new Set<Promise<void>>();
  /** A toxic that could not be added or removed: the run must not pass as if it had been injected. */
  private readonly errors: unknown[] = [];
  private toxicCount = 0;
  private readonly partitioned = new Set<number>();

  private constructor(
    private readonly toxiproxy: ToxiproxyServer,
    /** Proxy address of each worker's Temporal route. */
    readonly temporalAddresses: readonly string[],
    /** Proxy address of the Azurite route (`host:port`). */
    readonly storageAddress: string,
    private readonly t0: number,
  ) {}

  /** Starts toxiproxy and one Temporal proxy per worker plus one Azurite proxy. */
  static async start(options: {
    readonly workers: number;
    readonly temporalAddress: string;
    readonly storageAddress: string;
    readonly seed: number;
    readonly t0: number;
  }): Promise<WorkerNetwork> {
    const toxiproxy = await ToxiproxyServer.start({ seed: options.seed });
    try {
      const temporal = await Promise.all(
        Array.from({ length: options.workers }, (_, i) => toxiproxy.createProxy(`temporal-w${i}`, options.temporalAddress)),
      );
      const storage = await toxiproxy.createProxy('azurite', options.storageAddress);
      return new WorkerNetwork(
        toxiproxy,
        temporal.map((p) => p.listen),
        storage.listen,
        options.t0,
      );
    } catch (err) {
      await toxiproxy.stop();
      throw err;
    }
  }

  /**
   * Cuts worker `i` off from Temporal for `ms`: every byte either way is dropped and no connection closes
   * (a black hole, as a broken route or a stuck NAT does), then heals. Does not wait for the heal.
   */
  partitionTemporal(i: number, ms: number): void {
    this.partitioned.add(i);
    setTimeout(() => this.partitioned.delete(i), ms).unref();
    this.inject(`temporal-w${i}`, { type: 'timeout', attributes: { timeout: 0 } }, ms, ['upstream', 'downstream']);
  }

  /** Resets worker `i`'s connections to Temporal (TCP RST), and any it opens within `ms`. */
  resetTemporal(i: number, ms: number): void {
    this.inject(`temporal-w${i}`, { type: 'reset_peer', attributes: { timeout: 0 } }, ms, ['upstream']);
  }

  /** Adds `latencyMs` each way to worker `i`'s Temporal route for `ms`. */
  slowTemporal(i: number, latencyMs: number, ms: number): void {
    this.inject(`temporal-w${i}`, { type: 'latency', attributes: { latency: latencyMs, jitter: Math.round(latencyMs / 4) } }, ms, [
      'downstream',
    ]);
  }

  /** Resets every worker's storage connections (and new ones) for `ms`. */
  resetStorage(ms: number): void {
    this.inject('azurite', { type: 'reset_peer', attributes: { timeout: 0 } }, ms, ['upstream']);
  }

  /** Storage swallows requests and closes each connection after `closeAfterMs`, for `ms`. */
  timeoutStorage(closeAfterMs: number, ms: number): void {
    this.inject('azurite', { type: 'timeout', attributes: { timeout: closeAfterMs } }, ms, ['upstream']);
  }

  /** Adds `latencyMs` to storage answers for `ms`. */
  slowStorage(latencyMs: number, ms: number): void {
    this.inject('azurite', { type: 'latency', attributes: { latency: latencyMs, jitter: Math.round(latencyMs / 4) } }, ms, ['downstream']);
  }

  /** Limits storage to `kbPerS` each way for `ms`. */
  throttleStorage(kbPerS: number, ms: number): void {
    this.inject('azurite', { type: 'bandwidth', attributes: { rate: kbPerS } }, ms, ['upstream', 'downstream']);
  }

  /**
   * Whether worker `i` is cut off from Temporal now. Such a worker is not killed: its replacement would exit
   * at start (it cannot reach Temporal), and the point of a partition is a worker that runs on, cut off.
   */
  isPartitioned(i: number): boolean {
    return this.partitioned.has(i);
  }

  /** Whether a fault is in force now (the run does not finish, nor stop the connector, before all healed). */
  get active(): number {
    return this.healing.size;
  }

  /** Waits until every injected fault has been removed. */
  async healed(): Promise<void> {
    while (this.healing.size > 0) await Promise.all([...this.healing]);
    if (this.errors.length > 0) throw this.errors[0];
  }

  async stop(): Promise<void> {
    await this.toxiproxy.reset().catch(() => undefined);
    await this.toxiproxy.stop();
  }

  private inject(proxy: string, toxic: Toxic, ms: number, streams: readonly ToxicStream[]): void {
    const names = streams.map((s) => `${toxic.type}-${s}-${++this.toxicCount}`);
    this.injections.push({ route: proxy, toxic: toxic.type, durationMs: ms, atS: Math.round((Date.now() - this.t0) / 1000) });
    const run = (async () => {
      await Promise.all(streams.map((s, k) => this.toxiproxy.addToxic(proxy, names[k] ?? '', toxic, s)));
      await sleep(ms);
      await Promise.all(names.map((n) => this.toxiproxy.removeToxic(proxy, n)));
    })().catch((err: unknown) => void this.errors.push(err));
    const tracked = run.finally(() => this.healing.delete(tracked));
    this.healing.add(tracked);
  }
}
