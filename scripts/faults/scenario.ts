import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { daysInLogNames, readDayLog } from '../../src/cli/day-log';
import { isUnprocessedUpdate } from '../../src/cli/update-failure';
import { dataConverterFromEnv } from '../../src/codec';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { connectorWorkflowId, safeSegment, type ConnectorStatus } from '../../src/model';
import { BlobStaging } from '../../src/storage/blob-staging';
import { reconfigureUpdate, statusQuery, stopSignal } from '../../src/workflows/messages';
import { startGraphEmulator, type FaultConfig, type GraphEmulator } from '../../emulators/graph';
import { localServerTls } from '../../scripts/lib/local-ca';
import { startLivePersonEmulator, type FaultSettings, type LivePersonEmulator } from '../../emulators/liveperson';
import { SeededRandom } from '../../emulators/shared/random';
import { azuriteConnectionString, AZURITE_ACCOUNT, startAzurite, type AzuriteServer } from '../lib/azurite';
import { startTemporalDevServer, type TemporalDevServer } from '../lib/temporal-server';
import { WorkerNetwork } from './network';
import {
  countByPhase,
  OCCASION_PHASES,
  phaseOf,
  phaseReached,
  planFaults,
  type FaultCount,
  type FaultKind,
  type FaultPhase,
  type OccasionPhase,
  type PlannedFault,
  type TimelinePhase,
} from './phases';
import { reimportRange, reimportState, startReimportThroughCli, type ReimportRequest } from './reimport';
import { verifyRun, type Verdict } from './verify';
import { WorkerFleet } from './worker-fleet';

/** The worker-side secrets of the emulators' demo tenant (not secrets: the emulators' defaults). */
export const FAULT_CREDENTIALS = {
  LP_FAULT_CLIENT_ID: 'lp-demo-client',
  LP_FAULT_CLIENT_SECRET: 'lp-demo-secret',
  GRAPH_FAULT_TENANT_ID: 'contoso-tenant',
  GRAPH_FAULT_CLIENT_ID: 'graph-demo-client',
  GRAPH_FAULT_CLIENT_SECRET: 'graph-demo-secret',
} as const;

const DAY = 86_400_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What a fault run does. Rates are probabilities per request. */
export interface FaultRunOptions {
  readonly seed: number;
  /** Closed conversations to backfill. */
  readonly conversations: number;
  /** Spread over this many days before now. */
  readonly days: number;
  /**
   * SIGKILLs of a worker: a count spread over the backfill phases by the seed, or counts per phase (e.g.
   * `{ live: 1 }`). The run goes on until every planned fault is done and it has caught up.
   */
  readonly kills: FaultCount;
  /** Random pause between two scheduled faults (one fault at most per pause), ms. */
  readonly killGapMs: readonly [number, number];
  /** Network faults through toxiproxy (the workers then reach Temporal and Azurite through it). */
  readonly network?: NetworkFaultOptions;
  /**
   * A reimport of this many backfill windows the backfill has covered, started through the CLI once the run
   * is past a seeded point of the backfill (55–90 %, or live), and waited for before the checks. Faults
   * planned for `reimport` land while it runs (one more reimport is started, up to 3, if one finished first).
   */
  readonly reimport?: { readonly windows: number };
  /** Continue-as-new after this many windows (faults planned for `continue-as-new` need some). */
  readonly maxWindowsPerRun?: number;
  /** Azurite restarts mid-run (same port, data kept on disk). Needs the run's own Azurite (no `azuriteConnectionString`). */
  readonly azuriteRestarts?: FaultCount;
  /** Worker processes serving the task queue. */
  readonly workers: number;
  /** Restart the Temporal dev server (SQLite file) once, half-way. */
  readonly restartTemporal: boolean;
  /** One mailbox full (small quota) and one user who loses their mailbox mid-run. */
  readonly impairMailboxes: boolean;
  readonly lpFaults: Partial<FaultSettings>;
  readonly graphFaults: FaultConfig;
  readonly tuning: { readonly heartbeatTimeoutMs: number; readonly fetchTimeoutMs: number };
  readonly schedule: {
    readonly backfillWindow: string;
    readonly pageSize: number;
    readonly batchSize?: number;
    readonly pageConcurrency: number;
    /** How often the late-arrival sweep runs in live mode (faults planned for `sweep` land when one is due). */
    readonly sweepInterval?: string;
  };
  /** The whole run must finish within this, ms. */
  readonly timeoutMs: number;
  /** Azurite to use (a connection string); default: start an in-memory one. */
  readonly azuriteConnectionString?: string;
  readonly log: (line: string) => void;
}

/** Network faults, each a count spread over the backfill or counts per phase (see {@link FaultCount}). */
export interface NetworkFaultOptions {
  /** One worker cut off from Temporal (black hole both ways) while it still reaches Graph and storage. */
  readonly temporalPartitions?: FaultCount;
  /** How long a partition lasts, ms: longer than the heartbeat timeout, so its activities are retried elsewhere. */
  readonly partitionMs: readonly [number, number];
  /** One worker's Temporal connections reset (TCP RST) for a second. */
  readonly temporalResets?: FaultCount;
  /** 200–800 ms added to one worker's Temporal route for 5–15 s. */
  readonly temporalLatency?: FaultCount;
  /** Every storage connection reset for 0.5–2 s. */
  readonly storageResets?: FaultCount;
  /** Storage swallows requests and drops each connection after 3 s, for 4–10 s. */
  readonly storageTimeouts?: FaultCount;
  /** 200–1000 ms added to storage answers for 5–15 s. */
  readonly storageLatency?: FaultCount;
  /** Storage limited to 20–100 KB/s for 5–15 s. */
  readonly storageBandwidth?: FaultCount;
}

/** The rates of the full suite (issue 10): 429 with Retry-After, 5xx, slow answers and dropped connections. */
export const FULL_FAULTS: Pick<FaultRunOptions, 'lpFaults' | 'graphFaults'> = {
  lpFaults: { rate429: 0.04, retryAfterSeconds: 1, rate5xx: 0.03, retryAfter5xxSeconds: 1, slowRate: 0.02, slowMs: 1000, dropRate: 0.02 },
  graphFaults: {
    rate429: 0.02,
    rate503: 0.01,
    rate504: 0.01,
    retryAfterSeconds: 1,
    lostResponseRate: 0.01,
    lostResponseMode: 'destroy',
    slowRate: 0.01,
    slowMs: 1000,
  },
};

export interface FaultTableRow {
  readonly fault: string;
  readonly injected: string;
}

export interface FaultRunReport {
  readonly seed: number;
  readonly passed: boolean;
  readonly verdicts: readonly Verdict[];
  readonly faults: readonly FaultTableRow[];
  readonly elapsedMs: number;
  readonly finalStatus?: ConnectorStatus;
}

/** Runs a query with a deadline: with workers being killed, a query may wait for a live one. */
async function queryStatus(handle: WorkflowHandle, timeoutMs = 10_000): Promise<ConnectorStatus | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      handle.query(statusQuery),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      }),
    ]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * One fault run: a backfill of `conversations` through real worker processes that are SIGKILLed at random
 * moments, a Temporal dev server restarted once, emulators injecting faults, one full and one lost mailbox;
 * then every check of {@link verifyRun}. Starts and stops everything it needs.
 */
export async function runFaultScenario(o: FaultRunOptions): Promise<FaultRunReport> {
  const t0 = Date.now();
  const rnd = new SeededRandom(o.seed ^ 0x6b111);
  const stops: (() => Promise<unknown>)[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lpa-faults-${o.seed}-`));
  const temporalOptions = { headless: true, dbFile: path.join(dir, 'temporal.db'), log: 'silent', name: 'fault-temporal' } as const;
  let temporal: TemporalDevServer | undefined;
  let fleet: WorkerFleet | undefined;
  let connection: Connection | undefined;
  // A failed run keeps its directory (the Temporal dev server's SQLite file: every workflow history) to look into.
  let keepDir = false;
  try {
    const plan = planFaults(
      {
        kill: o.kills,
        'temporal-partition': o.network?.temporalPartitions,
        'temporal-reset': o.network?.temporalResets,
        'temporal-latency': o.network?.temporalLatency,
        'storage-reset': o.network?.storageResets,
        'storage-timeout': o.network?.storageTimeouts,
        'storage-latency': o.network?.storageLatency,
        'storage-bandwidth': o.network?.storageBandwidth,
        'azurite-restart': o.azuriteRestarts,
      },
      rnd,
    );
    if (!o.reimport && plan.some((f) => f.phase === 'reimport')) throw new Error('Faults planned for a reimport need the reimport option.');
    const restartsAzurite = plan.some((f) => f.kind === 'azurite-restart');
    if (restartsAzurite && o.azuriteConnectionString)
      throw new Error('azuriteRestarts needs the run to start its own Azurite: leave azuriteConnectionString out.');
    // An Azurite that is restarted keeps its blobs on disk; otherwise in memory.
    const azuriteLocation = restartsAzurite ? path.join(dir, 'azurite') : undefined;
    const azuriteOptions = {
      log: 'silent',
      name: 'fault-azurite',
      ...(azuriteLocation ? { location: azuriteLocation } : { inMemory: true }),
    } as const;
    const azuriteStart = o.azuriteConnectionString ? undefined : startAzurite(azuriteOptions);
    const [t, firstAzurite] = await Promise.all([startTemporalDevServer(temporalOptions), azuriteStart]);
    temporal = t;
    let azurite: AzuriteServer | undefined = firstAzurite;
    stops.push(async () => azurite?.stop());
    const connectionString = o.azuriteConnectionString ?? azurite?.connectionString ?? '';
    const network = o.network
      ? await WorkerNetwork.start({
          workers: o.workers,
          temporalAddress: temporal.address,
          storageAddress: blobHostOf(connectionString),
          seed: o.seed,
          t0,
        })
      : undefined;
    if (network) stops.push(() => network.stop());

    const anchor = Date.now() - 10 * 60_000;
    const lp: LivePersonEmulator = await startLivePersonEmulator({
      port: 0,
      seed: o.seed,
      conversations: o.conversations,
      days: o.days,
      anchorTime: anchor,
      maxMessages: 10,
      clientId: FAULT_CREDENTIALS.LP_FAULT_CLIENT_ID,
      clientSecret: FAULT_CREDENTIALS.LP_FAULT_CLIENT_SECRET,
    });
    stops.push(() => lp.close());
    const graph: GraphEmulator = await startGraphEmulator({ seed: o.seed, port: 0, tls: localServerTls() });
    stops.push(() => graph.close());

    // The full and the lost mailbox: two agents with a plain mailbox, picked by the seed.
    const candidates = lp.store.tenant.agents.filter((ag) => ag.mailbox === 'ok' && !ag.emailIsAlias && ag.userType === '1');
    const fullAgent = rnd.pick(candidates);
    const lostAgent = rnd.pick(candidates.filter((ag) => ag !== fullAgent));
    const userOf = (email: string): string => {
      const u = graph.users.find((x) => x.mail.toLowerCase() === email.toLowerCase());
      if (!u) throw new Error(`No directory user for ${email}`);
      return u.id;
    };
    const fullUser = userOf(fullAgent.email);
    const lostUser = userOf(lostAgent.email);
    if (o.impairMailboxes) {
      // Room for a handful of items, then ErrorQuotaExceeded.
      await postJson(`${graph.url}/_emulator/users/${fullUser}/mailbox`, { quotaBytes: 60_000 });
    }
    await postJson(`${lp.url}/_emulator/faults`, o.lpFaults);
    await postJson(`${graph.url}/_emulator/faults`, { ...o.graphFaults, seed: o.seed });

    const prefix = `f${randomBytes(4).toString('hex')}-`;
    const staging = new BlobStaging({ kind: 'connection-string', connectionString, containerPrefix: prefix });
    await staging.ensureContainers();
    const taskQueue = `faults-${randomBytes(4).toString('hex')}`;
    fleet = new WorkerFleet(
      {
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        // Through toxiproxy when the run injects network faults; LivePerson and Graph stay direct.
        AZURE_STORAGE_CONNECTION_STRING: network
          ? azuriteConnectionString(`http://${network.storageAddress}/${AZURITE_ACCOUNT}`)
          : connectionString,
        LPA_CONTAINER_PREFIX: prefix,
        LPA_TASK_QUEUE: taskQueue,
        ...FAULT_CREDENTIALS,
      },
      o.workers,
      o.log,
      (i): Record<string, string> => (network ? { TEMPORAL_ADDRESS: network.temporalAddresses[i] ?? temporal?.address ?? '' } : {}),
    );
    const workersUp = fleet.startAll();

    const startAt = anchor - o.days * DAY - 30 * 60_000;
    const config = parseConnectorConfig(
      {
        name: `faults-${o.seed}-${randomBytes(3).toString('hex')}`,
        liveperson: { accountId: lp.accountId, credentialsRef: 'LP_FAULT', csdsBaseUrl: lp.url, serviceScheme: 'http' },
        graph: { credentialsRef: 'GRAPH_FAULT', baseUrl: `${graph.url}/v1.0`, authorityHost: graph.url, trustedAuthority: true },
        schedule: { startDate: new Date(startAt).toISOString(), lag: '1m', pollInterval: '2s', minWindow: '1m', ...o.schedule },
      },
      Date.now(),
    );
    connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: temporal.namespace, dataConverter: dataConverterFromEnv() });
    const workflowId = connectorWorkflowId(config.name);
    await client.workflow.start('connectorWorkflow', {
      taskQueue,
      workflowId,
      args: [{ config, tuning: o.tuning, ...(o.maxWindowsPerRun ? { maxWindowsPerRun: o.maxWindowsPerRun } : {}) }],
    });
    const handle = client.workflow.getHandle(workflowId);
    await workersUp;
    o.log(
      `seed ${o.seed}: connector ${config.name}, ${o.conversations} conversations over ${o.days} days, ${o.workers} workers, full mailbox ${fullAgent.email}, lost mailbox ${lostAgent.email}`,
    );

    const lastEnd = Math.max(...lp.store.truth(-Infinity, Infinity).map((c) => c.endTime));
    let temporalRestarts = 0;
    let lostAt: string | undefined;
    /** Every fault injected: where in the run, and when (seconds since the run started). */
    const landed: { kind: FaultKind; phase: FaultPhase; atS: number; detail?: string }[] = [];
    let last: ConnectorStatus | undefined;
    let reconfigures = 0;
    // Its own random stream, so that adding the reimport leaves the seed's fault schedule as it was.
    const reimportRnd = new SeededRandom(o.seed ^ 0x2e1a7);
    const reimportFrom = reimportRnd.int(55, 90) / 100;
    const reimports: { id: string; range: ReimportRequest; at: string; atS: number; state?: string }[] = [];
    const reimportRunning = (): boolean => reimports.some((r) => r.state === undefined || r.state === 'running');
    /** Starts a reimport through the CLI once the backfill has covered its range; false when not yet. */
    const startReimport = async (at: string): Promise<boolean> => {
      const cursor = last ? Date.parse(last.cursor) : startAt;
      const range = o.reimport && reimportRange(reimportRnd, startAt, cursor, config.schedule.backfillWindowMs, o.reimport.windows);
      if (!range || !temporal) return false;
      try {
        const r = await startReimportThroughCli(temporal, config.name, range);
        reimports.push({ id: r.reimportId, range, at, atS: Math.round((Date.now() - t0) / 1000) });
        o.log(`reimport ${r.reimportId} of ${new Date(range.from).toISOString()}..${new Date(range.to).toISOString()} started at ${at}`);
        return true;
      } catch (err) {
        // A worker just killed or cut off may hold the update up: try again at the next look.
        o.log(`reimport not started at ${at}: ${(err as Error).message}`);
        return false;
      }
    };
    /** Sends a reconfigure (page size toggled: harmless, but a real update) and returns its outcome, unawaited. */
    let reconfiguresSentAgain = 0;
    const reconfigure = async (): Promise<void> => {
      const pageSize = config.schedule.pageSize === 100 ? 50 : 100;
      const next = { ...config, schedule: { ...config.schedule, pageSize, batchSize: Math.max(config.schedule.batchSize, pageSize) } };
      reconfigures++;
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await Promise.race([
            handle.executeUpdate(reconfigureUpdate, { args: [next] }),
            sleep(Math.max(0, deadline - Date.now())).then(() => {
              throw new Error('The reconfigure update was not accepted within 60 s');
            }),
          ]);
          return;
        } catch (err) {
          // The worker that had the update in its workflow task died: Temporal may answer that no worker processed
          // it (UnprocessedUpdate). Nothing was applied; an operator sends it again.
          if (!isUnprocessedUpdate(err) || Date.now() > deadline) throw err;
          reconfiguresSentAgain++;
          o.log('reconfigure rejected as not processed (its worker was killed with it in flight): sent again');
          await sleep(1000);
        }
      }
    };
    /** Injects one planned fault; false when it cannot land now (the worker picked is down), to try again later. */
    const inject = async (planned: PlannedFault, now: TimelinePhase, at: string): Promise<boolean> => {
      const { kind } = planned;
      const phase: FaultPhase = OCCASION_PHASES.some((x) => x === planned.phase) ? planned.phase : now;
      const note = (detail?: string): true => {
        landed.push({ kind, phase, atS: Math.round((Date.now() - t0) / 1000), ...(detail ? { detail } : {}) });
        o.log(`${kind}${detail ? ` ${detail}` : ''} at ${at}, ${phase}`);
        return true;
      };
      const worker = rnd.int(0, o.workers - 1);
      if (kind === 'kill') {
        if (!fleet || network?.isPartitioned(worker) || !fleet.running(worker)) return false;
        // During a reconfigure: the update is in flight when the worker dies.
        const update = planned.phase === 'reconfigure' ? reconfigure() : undefined;
        // Awaited below; a failure before then must not end the process as an unhandled rejection.
        update?.catch(() => undefined);
        if (update) await sleep(rnd.int(0, 500));
        if (!(await fleet.kill(worker))) return false;
        note(`worker ${worker}`);
        if (update) {
          await fleet.reviveAll();
          await update;
        }
        await sleep(rnd.int(0, 1500));
        return true;
      }
      if (kind === 'azurite-restart') {
        if (!azurite || !azuriteLocation) return false;
        const port = azurite.port;
        await azurite.stop();
        await sleep(rnd.int(500, 3000));
        azurite = await startAzurite({ ...azuriteOptions, location: azuriteLocation, port });
        return note();
      }
      if (!network) throw new Error(`A ${kind} fault needs the network option (toxiproxy).`);
      const [pMin, pMax] = o.network?.partitionMs ?? [0, 0];
      switch (kind) {
        case 'temporal-partition': {
          const ms = rnd.int(pMin, pMax);
          network.partitionTemporal(worker, ms);
          return note(`worker ${worker} for ${(ms / 1000).toFixed(1)} s`);
        }
        case 'temporal-reset':
          network.resetTemporal(worker, 1000);
          return note(`worker ${worker}`);
        case 'temporal-latency': {
          const lat = rnd.int(200, 800);
          network.slowTemporal(worker, lat, rnd.int(5000, 15000));
          return note(`worker ${worker} +${lat} ms`);
        }
        case 'storage-reset':
          network.resetStorage(rnd.int(500, 2000));
          return note();
        case 'storage-timeout':
          network.timeoutStorage(3000, rnd.int(4000, 10000));
          return note();
        case 'storage-latency': {
          const lat = rnd.int(200, 1000);
          network.slowStorage(lat, rnd.int(5000, 15000));
          return note(`+${lat} ms`);
        }
        case 'storage-bandwidth': {
          const rate = rnd.int(20, 100);
          network.throttleStorage(rate, rnd.int(5000, 15000));
          return note(`${rate} KB/s`);
        }
      }
    };
    const deadline = t0 + o.timeoutMs;
    for (;;) {
      if (Date.now() > deadline)
        throw new Error(`The run did not finish within ${o.timeoutMs / 1000} s; last status: ${JSON.stringify(last)}`);
      await sleep(rnd.int(o.killGapMs[0], o.killGapMs[1]));
      const s = await queryStatus(handle);
      const runsBefore = last?.runsSoFar;
      if (s) last = s;
      const progress = (last?.totals.fromSource ?? 0) / o.conversations;
      const caughtUp = last !== undefined && last.state === 'live' && Date.parse(last.cursor) > lastEnd;
      if (o.impairMailboxes && lostAt === undefined && (progress >= 0.3 || caughtUp)) {
        await postJson(`${graph.url}/_emulator/users/${lostUser}/mailbox`, { state: 'no-mailbox' });
        lostAt = `${Math.round(progress * 100)}%`;
        o.log(`mailbox of ${lostAgent.email} lost at ${lostAt} of the backfill`);
      }
      if (o.restartTemporal && temporalRestarts === 0 && (progress >= 0.5 || caughtUp)) {
        o.log(`restarting the Temporal dev server at ${Math.round(progress * 100)}% of the backfill`);
        const port = temporal.port;
        await temporal.stop();
        await sleep(1000);
        temporal = await startTemporalDevServer({ ...temporalOptions, port });
        temporalRestarts++;
      }
      for (const r of reimports) {
        const state = reimportState(s?.reimports, r.id);
        if (state === 'failed') throw new Error(`Reimport ${r.id} failed: ${s?.lastError ?? 'no error shown'}`);
        if (state) r.state = state;
      }
      const reimportDue = o.reimport !== undefined && (progress >= reimportFrom || caughtUp);
      const reimportWanted = reimports.length === 0 || (!reimportRunning() && plan.some((f) => f.phase === 'reimport'));
      if (reimportDue && reimportWanted) {
        if (reimports.length >= 3) throw new Error('Three reimports finished before the fault planned for one could land');
        await startReimport(`${Math.round(progress * 100)}%`);
      }
      const doneFaults =
        plan.length === 0 &&
        (o.reimport === undefined || (reimports.length > 0 && !reimportRunning())) &&
        (network?.active ?? 0) === 0 &&
        (!o.restartTemporal || temporalRestarts > 0) &&
        (!o.impairMailboxes || lostAt !== undefined);
      if (caughtUp && doneFaults) break;
      const phase = phaseOf(progress, caughtUp);
      const occasions = new Set<OccasionPhase>(['reconfigure']);
      if (s && runsBefore !== undefined && s.runsSoFar > runsBefore) occasions.add('continue-as-new');
      // Due from the second sweep on: before the first, the status does not say when it will run.
      const sweepDue = last?.sweep !== undefined && Date.now() >= last.sweep.lastAt + config.schedule.sweepIntervalMs;
      if (caughtUp && sweepDue) occasions.add('sweep');
      // Running as this status was read (one started in this very look waits for the next, to be under way).
      if (reimports.some((r) => r.state === 'running')) occasions.add('reimport');
      // A reimport ends on its own: its faults go before those of a phase that lasts.
      const forReimport = occasions.has('reimport') ? plan.findIndex((f) => f.phase === 'reimport') : -1;
      const at = forReimport >= 0 ? forReimport : plan.findIndex((f) => phaseReached(f.phase, phase, occasions));
      const next = plan[at];
      if (next && (await inject(next, phase, `${Math.round(progress * 100)}%`))) plan.splice(at, 1);
      await fleet.reviveAll();
    }

    await network?.healed();
    await handle.signal(stopSignal);
    const final = (await Promise.race([
      handle.result(),
      sleep(120_000).then(() => {
        throw new Error('The connector did not stop within 120 s of the stop signal');
      }),
    ])) as ConnectorStatus;
    await fleet.stopAll();

    const verdicts = await verifyRun({
      lpUrl: lp.url,
      graphUrl: graph.url,
      seed: o.seed,
      connector: config.name,
      folderName: config.graph.folderName,
      startAt,
      status: final,
      store: staging,
      impairedUsers: o.impairMailboxes ? [fullUser, lostUser] : [],
    });
    if (fleet.unexpectedExits > 0)
      verdicts.push({ check: 'no worker crashed by itself', pass: false, detail: `${fleet.unexpectedExits} unexpected worker exits` });

    const lpStats = (await (await fetch(`${lp.url}/_emulator/stats`)).json()) as { requests: number; faults: Record<string, number> };
    const gStats = (await (await fetch(`${graph.url}/_emulator/stats`)).json()) as {
      requests: number;
      throttled: number;
      faults: Record<string, number>;
    };
    const rows = await logRowTallies(staging, config.name, [fullUser, lostUser], [fullAgent.id, lostAgent.id]);
    const failedFor = (userId: string): number => rows.failedByUser.get(userId) ?? 0;
    const lf = lpStats.faults;
    const gf = gStats.faults;
    const landedOf = (kind: FaultKind): string => {
      const of = landed.filter((f) => f.kind === kind);
      // When: seconds since the run started; partitions also say which worker and for how long.
      const when = of.map((f) => (kind === 'temporal-partition' && f.detail ? `${f.detail} at ${f.atS} s` : String(f.atS)));
      const tail = of.length === 0 ? '' : kind === 'temporal-partition' ? `; ${when.join(', ')}` : `; at ${when.join(', ')} s`;
      return countByPhase(of.map((f) => f.phase)) + tail;
    };
    const planned = (kind: FaultKind): boolean => landed.some((f) => f.kind === kind);
    const faultRow = (kind: FaultKind, fault: string): FaultTableRow[] => (planned(kind) ? [{ fault, injected: landedOf(kind) }] : []);
    const hb = `${o.tuning.heartbeatTimeoutMs / 1000} s`;
    const faults: FaultTableRow[] = [
      { fault: 'worker SIGKILL (restarted), by phase', injected: landedOf('kill') },
      ...faultRow('temporal-partition', `one worker cut off from Temporal (black hole) > heartbeat timeout ${hb}, still reaching Graph`),
      ...faultRow('temporal-reset', "one worker's Temporal connections reset (TCP RST)"),
      ...faultRow('temporal-latency', "latency added on one worker's Temporal route"),
      ...faultRow('storage-reset', 'storage connections reset (TCP RST)'),
      ...faultRow('storage-timeout', 'storage swallows requests, drops connections after 3 s'),
      ...faultRow('storage-latency', 'latency added on the storage route'),
      ...faultRow('storage-bandwidth', 'storage bandwidth limit'),
      ...faultRow('azurite-restart', 'Azurite restart (data on disk)'),
      ...(reconfigures > 0
        ? [
            {
              fault: 'reconfigure (page size toggled) with a kill in flight',
              injected: `${reconfigures}${reconfiguresSentAgain > 0 ? ` (sent again ${reconfiguresSentAgain}×: rejected as not processed by the killed worker)` : ''}`,
            },
          ]
        : []),
      ...reimports.map((r, i) => {
        const c = final.reimports?.find((x) => x.id === r.id)?.counts;
        const counts = c
          ? `${c.fromSource} conversations, ${c.imported} imported, ${c.skippedDuplicate} duplicates, ${c.failed} failed`
          : 'no counts';
        const range = `${new Date(r.range.from).toISOString()}..${new Date(r.range.to).toISOString()}`;
        return {
          fault: `reimport ${i + 1} through the CLI (connector reimport), waited for`,
          injected: `${range} at ${r.atS} s (${r.at}): ${counts}`,
        };
      }),
      ...(last?.sweep ? [{ fault: 'late-arrival sweeps run', injected: String(final.sweep?.runs ?? 0) }] : []),
      ...(network
        ? [{ fault: 'two attempts created one item; one kept, the other deleted (log rows)', injected: String(rows.racesSettled) }]
        : []),
      { fault: 'workers serving the task queue', injected: String(o.workers) },
      { fault: 'Temporal dev server restart (SQLite file)', injected: String(temporalRestarts) },
      { fault: 'LivePerson 429 with Retry-After', injected: String(lf.rate429 ?? 0) },
      { fault: 'LivePerson 500 / 503', injected: `${lf.status500 ?? 0} / ${lf.status503 ?? 0}` },
      { fault: 'LivePerson slow answer', injected: String(lf.slow ?? 0) },
      { fault: 'LivePerson dropped connection', injected: String(lf.dropped ?? 0) },
      {
        fault: 'Graph 429 with Retry-After (injected + per-mailbox limits)',
        injected: `${gf['429'] ?? 0} + ${gStats.throttled - (gf['429'] ?? 0)}`,
      },
      { fault: 'Graph 503 / 504', injected: `${gf['503'] ?? 0} / ${gf['504'] ?? 0}` },
      { fault: 'Graph create stored, connection dropped (lost response)', injected: String(gf['lost-response'] ?? 0) },
      { fault: 'Graph slow answer', injected: String(gf.slow ?? 0) },
      ...(o.impairMailboxes
        ? [
            { fault: 'mailbox full (quota 60 KB)', injected: `1 (${failedFor(fullUser)} pairs logged failed)` },
            { fault: 'user loses their mailbox mid-run', injected: `1 at ${lostAt ?? '-'} (${failedFor(lostUser)} pairs logged failed)` },
          ]
        : []),
      { fault: 'requests served (LivePerson / Graph)', injected: `${lpStats.requests} / ${gStats.requests}` },
    ];
    const passed = verdicts.every((v) => v.pass);
    keepDir = !passed;
    return { seed: o.seed, passed, verdicts, faults, elapsedMs: Date.now() - t0, finalStatus: final };
  } finally {
    await fleet?.stopAll().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await temporal?.stop().catch(() => undefined);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (keepDir)
      o.log(
        `kept ${dir} (temporal.db: start a dev server on it, e.g. temporal server start-dev --db-filename ${path.join(dir, 'temporal.db')})`,
      );
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `host:port` of the blob endpoint in an Azurite connection string. */
function blobHostOf(connectionString: string): string {
  const endpoint = /BlobEndpoint=([^;]+)/.exec(connectionString)?.[1];
  if (!endpoint) throw new Error(`No BlobEndpoint in the storage connection string: ${connectionString}`);
  return new URL(endpoint).host;
}

/**
 * Failed log rows per impaired user (by mailbox, or by the agent when the resolver already saw no mailbox),
 * and rows saying a concurrent attempt had created the item too (src/graph/duplicate-race.ts settled it).
 */
async function logRowTallies(
  staging: BlobStaging,
  connector: string,
  userIds: readonly string[],
  agentIds: readonly string[],
): Promise<{ failedByUser: Map<string, number>; racesSettled: number }> {
  const prefix = `${safeSegment(connector)}/`;
  const days = daysInLogNames(await staging.list('logs', prefix), connector);
  const counts = new Map<string, number>();
  let racesSettled = 0;
  for (const day of days) {
    for (const r of (await readDayLog(staging, connector, day)).rows) {
      if (r.reason.includes('a concurrent attempt had created it too')) racesSettled++;
      if (r.result !== 'failed') continue;
      userIds.forEach((u, i) => {
        if (r.m365User === u || (r.m365User === '-' && r.sourceUser === agentIds[i])) counts.set(u, (counts.get(u) ?? 0) + 1);
      });
    }
  }
  return { failedByUser: counts, racesSettled };
}
