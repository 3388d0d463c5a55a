/**
 * The real worker (`src/worker.ts`) in a child process, through its life: starting (not ready), polling
 * (ready), archiving (every metric the alert rules and the dashboard read is exported), draining on
 * SIGTERM (not ready, still live), exited.
 */
import * as path from 'node:path';
import { startConnector } from '../../src/cli/start-connector';
import { connectorWorkflowId, type ConnectorStatus } from '../../src/model';
import { LP_METRIC_NAMES } from '../../src/observability';
import { HEALTH_PATHS } from '../../src/observability/health-server';
import { runNowSignal, statusQuery } from '../../src/workflows/messages';
import { findFreePort } from '../../scripts/lib/ports';
import { startProcess, type ManagedProcess } from '../../scripts/lib/process';
import { eventually, startHarness, TEST_ENV, type Harness } from '../support/connector-harness';
import { alertRules, dashboardQueries, exportedNames, metricNamesIn } from '../support/monitoring-files';
import { startTcpGate, type TcpGate } from '../support/tcp-gate';
import { testServices, uniqueId } from '../setup/services';

const ROOT = path.resolve(__dirname, '../..');

interface Probe {
  readonly status: number;
  readonly body: { status: string; reason: string; workerState?: string; inFlightActivities?: number };
}

/** Value of an unlabelled (or first matching) sample in Prometheus text. */
function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m?.[1] === name && Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}

describe('worker health and the metrics the alerts read (real worker process)', () => {
  /** The connector the metrics test started and left following live. */
  let liveConnector: string | undefined;
  let h: Harness;
  let gate: TcpGate;
  let worker: ManagedProcess | undefined;
  const lines: string[] = [];
  let healthUrl: string;
  let metricsUrl: string;

  const probe = async (path: string): Promise<Probe> => {
    const res = await fetch(`${healthUrl}${path}`);
    return { status: res.status, body: (await res.json()) as Probe['body'] };
  };
  const metrics = async (): Promise<string> => (await fetch(metricsUrl)).text();

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 20, days: 1, anchorTime: Date.now() - 10 * 60_000, maxMessages: 4 } });
    const services = testServices();
    // Blob storage that does not answer until the test says so: the worker cannot get past its start.
    const blob = new URL(/BlobEndpoint=([^;]+)/.exec(services.azuriteConnectionString)![1]!);
    gate = await startTcpGate({ host: blob.hostname, port: Number(blob.port) });
    const gated = services.azuriteConnectionString.replace(blob.host, `${gate.host}:${gate.port}`);
    const [healthPort, metricsPort] = [await findFreePort(), await findFreePort()];
    healthUrl = `http://127.0.0.1:${healthPort}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    worker = await startProcess({
      name: 'health-worker',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(ROOT, 'src', 'worker.ts')],
      cwd: ROOT,
      env: {
        ...TEST_ENV,
        TEMPORAL_ADDRESS: services.temporalAddress,
        TEMPORAL_NAMESPACE: services.temporalNamespace,
        AZURE_STORAGE_CONNECTION_STRING: gated,
        LPA_CONTAINER_PREFIX: `${uniqueId('hl')}-`,
        LPA_TASK_QUEUE: h.taskQueue,
        LPA_METRICS_PORT: String(metricsPort),
        LPA_HEALTH_PORT: String(healthPort),
        LPA_CONNECTOR_METRICS_INTERVAL: '1',
      },
      log: (line) => lines.push(line),
    });
  });

  afterAll(async () => {
    await worker?.stop(40_000);
    await gate?.close();
    await h?.close();
  });

  it('is live but not ready while it cannot start (blob storage does not answer yet)', async () => {
    await eventually('the worker to ask blob storage', () => Promise.resolve(gate.connections() > 0 ? true : undefined), 60_000, 100);
    const live = await eventually('the health endpoint', () => probe(HEALTH_PATHS.liveness), 30_000, 100);
    expect(live).toMatchObject({ status: 200, body: { status: 'ok', reason: 'starting' } });
    const ready = await probe(HEALTH_PATHS.readiness);
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toMatch(/^starting: /);
    expect(sampleValue(await metrics(), LP_METRIC_NAMES.workerReady)).toBe(0);
    expect(lines.some((l) => l.includes('polling task queue'))).toBe(false);
  });

  it('is ready once the Temporal server sees it poll its task queue, and says so once', async () => {
    gate.open();
    const ready = await eventually(
      'readiness',
      async () => {
        const p = await probe(HEALTH_PATHS.readiness);
        return p.status === 200 ? p : undefined;
      },
      90_000,
      200,
    );
    expect(ready.body).toMatchObject({ status: 'ok', reason: `polling task queue "${h.taskQueue}"`, workerState: 'RUNNING' });
    const polling = lines.findIndex((l) => l.includes('polling task queue'));
    const readyLines = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes('lp-archive worker ready'));
    expect(polling).toBeGreaterThanOrEqual(0);
    expect(readyLines).toHaveLength(1);
    expect(readyLines[0]![1]).toBeGreaterThan(polling);
    await eventually('lp_worker_ready 1', async () => (sampleValue(await metrics(), LP_METRIC_NAMES.workerReady) === 1 ? true : undefined));
  });

  it('exports every metric the alert rules and the dashboard name, once a connector has archived a window', async () => {
    // One 429 (the client waits its Retry-After and goes on), so the throttling counters exist too.
    Object.assign(h.lp.context.faults, { rate429: 1, retryAfterSeconds: 1 });
    const config = h.config({
      startDate: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      backfillWindow: '2h',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '5s',
    });
    liveConnector = config.name;
    await startConnector(h.client, h.taskQueue, config);
    await eventually('a 429', () => Promise.resolve(h.lp.context.stats.faults.rate429 > 0 || undefined), 30_000, 10);
    Object.assign(h.lp.context.faults, { rate429: 0 });
    const handle = h.client.workflow.getHandle(connectorWorkflowId(config.name));
    await eventually(
      'the connector to go live',
      async () => {
        const s: ConnectorStatus = await handle.query(statusQuery);
        return s.state === 'live' && s.totals.imported > 0 ? s : undefined;
      },
      90_000,
      500,
    );
    const connector = { connector: config.name };
    const text = await eventually(
      'the connector state and a live cursor read from visibility',
      async () => {
        const t = await metrics();
        const behind = Date.now() / 1000 - (sampleValue(t, LP_METRIC_NAMES.cursorTimestamp, connector) ?? 0);
        return sampleValue(t, LP_METRIC_NAMES.connectorState, { ...connector, state: 'live' }) === 1 && behind < 15 * 60 ? t : undefined;
      },
      30_000,
      500,
    );
    expect(sampleValue(text, LP_METRIC_NAMES.connectorState, { ...connector, state: 'failing' })).toBe(0);
    expect(Date.now() / 1000 - sampleValue(text, LP_METRIC_NAMES.cursorTimestamp, connector)!).toBeGreaterThan(0);

    const exported = exportedNames(text);
    const named = [
      ...alertRules().map((r) => ({ where: `alert ${r.alert}`, names: metricNamesIn(r.expr) })),
      ...dashboardQueries().map((q) => ({ where: q.where, names: metricNamesIn(q.expr) })),
    ];
    const missing = named.flatMap(({ where, names }) => names.filter((n) => !exported.has(n)).map((n) => `${n} (${where})`));
    expect(missing).toEqual([]);
    expect(named.flatMap((n) => n.names).length).toBeGreaterThan(15);
  });

  it('is not ready but still live while it drains on SIGTERM, then exits 0', async () => {
    // Every LivePerson answer now takes 4 s, and run-now makes the idle connector (waiting in its live watch, on the
    // watch task queue) collect a window: its fetch is running when the signal comes.
    Object.assign(h.lp.context.faults, { slowRate: 1, slowMs: 4_000 });
    await h.client.workflow.getHandle(connectorWorkflowId(liveConnector!)).signal(runNowSignal);
    await eventually(
      'an activity in flight',
      async () => ((await probe(HEALTH_PATHS.readiness)).body.inFlightActivities ?? 0) > 0 || undefined,
      30_000,
      100,
    );
    process.kill(worker!.pid, 'SIGTERM');
    const draining = await eventually(
      'readiness to drop',
      async () => {
        const p = await probe(HEALTH_PATHS.readiness);
        return p.status === 503 ? p : undefined;
      },
      10_000,
      50,
    );
    expect(draining.body.reason).toMatch(/^draining: /);
    const live = await probe(HEALTH_PATHS.liveness);
    expect(live).toMatchObject({ status: 200, body: { reason: 'draining' } });
    await eventually(
      'lp_worker_ready 0',
      async () => (sampleValue(await metrics(), LP_METRIC_NAMES.workerReady) === 0 ? true : undefined),
      5_000,
      100,
    );
    Object.assign(h.lp.context.faults, { slowRate: 0 });
    expect(await worker!.exited).toEqual({ code: 0, signal: null });
  });
});
