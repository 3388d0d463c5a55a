import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startAzurite, type AzuriteServer } from '../../scripts/lib/azurite';
import { startGraphEmulatorProcess, startLivePersonEmulatorProcess, type EmulatorProcess } from '../../scripts/lib/emulators';
import { findFreePort } from '../../scripts/lib/ports';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal-server';

/** The bench's own stack: nothing shared with a developer's `npm run stack`, everything on free ports. */
export interface BenchStack {
  readonly temporal: TemporalDevServer;
  /** Prometheus endpoint of the dev server: `service_requests{operation=…}` counts what reached the server. */
  readonly temporalMetricsUrl: string;
  /** The current Azurite: each phase gets a fresh one ({@link BenchStack.renewAzurite}). */
  readonly azurite: AzuriteServer;
  readonly graph: EmulatorProcess;
  /**
   * Replaces Azurite with an empty one. Azurite scans its blob metadata per request: after 10,000 conversations
   * it used a whole core and became the bottleneck of the next phase (Azure Blob Storage does not slow down so).
   */
  renewAzurite(): Promise<void>;
  readonly dataDir: string;
  /** Starts one more LivePerson emulator process (own account data), stopped with the stack. */
  startLivePerson(o: LivePersonBench): Promise<EmulatorProcess>;
  stop(): Promise<void>;
}

export interface LivePersonBench {
  readonly conversations: number;
  readonly days: number;
  readonly maxMessages: number;
  /** More accounts beside LP_ACCOUNT, each serving the same conversations (one per connector of the fifty phase). */
  readonly extraAccounts?: readonly string[];
}

export interface BenchStackOptions {
  readonly fairness: boolean;
  /** Partitions of every task queue (when undefined: 1, as in every local stack; Temporal's own default is 4). */
  readonly queuePartitions?: number;
  /**
   * Copies of the Graph emulator's directory (`--directory-copies`), so that connectors can each import into
   * mailboxes of their own. Copy 1 is the original directory, the only one the other phases use.
   */
  readonly directoryCopies: number;
}

/**
 * One seed for every emulator: it also generates the tenant (agents and their mailboxes), so LivePerson agents
 * and Graph users are the same people only when both emulators share it. Different phases differ by their data
 * (count, days) and by connector names, not by tenant.
 */
const TENANT_SEED = 42;

/** Quiet children: their last lines are kept by the process helper for error messages. */
const quiet = 'silent' as const;

/**
 * Temporal dev server on a SQLite file with the WAL pragmas of scripts/lib (same as `npm run stack`), headless,
 * with its metrics endpoint on; Azurite on disk in a temporary folder; the Graph emulator.
 */
export async function startBenchStack(progress: (m: string) => void, options: BenchStackOptions): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-archive-bench-'));
  const metricsPort = await findFreePort();
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(stops.splice(0).map((s) => s()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  let current: BenchAzurite | undefined;
  stops.push(async () => current?.stop());
  try {
    progress(
      `starting Temporal dev server, Azurite and the Graph emulator${options.directoryCopies > 1 ? ` (${options.directoryCopies} copies of the directory)` : ''}`,
    );
    const [temporal, azurite, graph] = await Promise.all([
      startTemporalDevServer({
        headless: true,
        dbFile: path.join(dataDir, 'temporal.sqlite'),
        extraArgs: ['--metrics-port', String(metricsPort)],
        // Fairness is on by default in every local stack; off, the keys are ignored (for an A/B of the fifty phase).
        dynamicConfig: {
          ...(options.fairness ? {} : { 'matching.enableFairness': false }),
          ...(options.queuePartitions !== undefined
            ? {
                'matching.numTaskqueueReadPartitions': options.queuePartitions,
                'matching.numTaskqueueWritePartitions': options.queuePartitions,
              }
            : {}),
        },
        log: quiet,
      }).then((s) => (stops.push(() => s.stop()), s)),
      startBenchAzurite(dataDir, 1).then((s) => (current = s)),
      startGraphEmulatorProcess({
        seed: TENANT_SEED,
        ...(options.directoryCopies > 1 ? { extraArgs: ['--directory-copies', String(options.directoryCopies)] } : {}),
        log: quiet,
      }).then((s) => (stops.push(() => s.stop()), s)),
    ]);
    let renewals = 1;
    let live = azurite;
    return {
      temporal,
      temporalMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      get azurite() {
        return live;
      },
      async renewAzurite() {
        await live.stop();
        fs.rmSync(live.location, { recursive: true, force: true });
        live = current = await startBenchAzurite(dataDir, ++renewals);
      },
      graph,
      dataDir,
      async startLivePerson(o) {
        const lp = await startLivePersonEmulatorProcess({
          seed: TENANT_SEED,
          conversations: o.conversations,
          days: o.days,
          ...(o.extraAccounts?.length ? { extraAccounts: o.extraAccounts } : {}),
          extraArgs: ['--max-messages', String(o.maxMessages)],
          log: quiet,
        });
        stops.push(() => lp.stop());
        return lp;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** On disk in the bench's folder: 10,000 conversations are gigabytes of items, which slow an in-memory Azurite to a crawl. */
type BenchAzurite = AzuriteServer & { readonly location: string };

async function startBenchAzurite(dataDir: string, n: number): Promise<BenchAzurite> {
  const location = path.join(dataDir, `azurite-${n}`);
  return { ...(await startAzurite({ location, log: quiet })), location };
}
