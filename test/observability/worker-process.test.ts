/**
 * The real worker (`src/worker.ts`) in a child process: the Temporal Runtime is process-wide and native,
 * so installing ours inside jest's process would clash with every other test's worker.
 */
import * as path from 'node:path';
import { startConnector } from '../../src/cli/start-connector';
import { connectorWorkflowId, type ConnectorStatus } from '../../src/model';
import { LP_METRIC_NAMES } from '../../src/observability';
import { statusQuery, stopSignal } from '../../src/workflows/messages';
import { findFreePort } from '../../scripts/lib/ports';
import { startProcess, type ManagedProcess } from '../../scripts/lib/process';
import { eventually, startHarness, TEST_ENV, type Harness } from '../support/connector-harness';
import { testServices, uniqueId } from '../setup/services';

const ROOT = path.resolve(__dirname, '../..');

/** Sum of a metric's samples whose labels include `labels`, from Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let found: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const labelText = m[2] ?? '';
    if (!Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) continue;
    found = (found ?? 0) + Number(m[3]);
  }
  return found;
}

describe('worker process: metrics, JSON logs, graceful shutdown', () => {
  let h: Harness;
  let worker: ManagedProcess | undefined;
  const lines: string[] = [];
  let metricsUrl: string;

  beforeAll(async () => {
    const anchor = Date.now();
    h = await startHarness({ lp: { conversations: 30, days: 1, anchorTime: anchor - 10 * 60_000, maxMessages: 6 } });
    const services = testServices();
    const port = await findFreePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    worker = await startProcess({
      name: 'observed-worker',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(ROOT, 'src', 'worker.ts')],
      cwd: ROOT,
      env: {
        ...TEST_ENV,
        TEMPORAL_ADDRESS: services.temporalAddress,
        TEMPORAL_NAMESPACE: services.temporalNamespace,
        AZURE_STORAGE_CONNECTION_STRING: services.azuriteConnectionString,
        LPA_CONTAINER_PREFIX: `${uniqueId('obs')}-`,
        LPA_TASK_QUEUE: h.taskQueue,
        LPA_METRICS_PORT: String(port),
        LPA_LOG_LEVEL: 'INFO',
      },
      log: (line) => lines.push(line),
    });
    await eventually(
      'the worker to poll its task queue',
      () => Promise.resolve(lines.some((l) => l.includes('polling task queue')) ? true : undefined),
      90_000,
      200,
    );
  });

  afterAll(async () => {
    await worker?.stop(40_000);
    await h?.close();
  });

  it('says at start which V8 flag it runs without and how to start it instead', () => {
    const advice = lines.filter((l) => l.includes('--max-semi-space-size unset'));
    expect(advice).toHaveLength(1);
    expect(JSON.parse(advice[0]!)).toMatchObject({
      level: 'INFO',
      msg: expect.stringContaining('node --max-semi-space-size=4 dist/src/worker.js'),
    });
  });

  it('serves the SDK metrics and our counters on /metrics after a small backfill, logs JSON with connector context, and exits 0 on SIGTERM', async () => {
    const config = h.config({
      startDate: new Date(Date.now() - 26 * 3_600_000).toISOString(),
      backfillWindow: '12h',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '1m',
    });
    const workflowId = connectorWorkflowId(config.name);
    await startConnector(h.client, h.taskQueue, config);
    const status = await eventually(
      'the connector to catch up',
      async () => {
        const s: ConnectorStatus = await h.client.workflow.getHandle(workflowId).query(statusQuery);
        // Caught up: live, no window in progress, the cursor within minutes of now.
        return s.state === 'live' && !s.currentWindow && Date.now() - Date.parse(s.cursor) < 10 * 60_000 && s.totals.imported > 0
          ? s
          : undefined;
      },
      90_000,
      500,
    );

    const connector = { connector: config.name };
    const text = await eventually(
      'our counters on /metrics',
      async () => {
        const t = await (await fetch(metricsUrl)).text();
        const lagNow = sample(t, LP_METRIC_NAMES.lagSeconds, connector) ?? Infinity;
        return (sample(t, LP_METRIC_NAMES.itemsImported, { ...connector, result: 'imported' }) ?? 0) >= status.totals.imported &&
          lagNow < 3_600
          ? t
          : undefined;
      },
      30_000,
      500,
    );
    expect(sample(text, LP_METRIC_NAMES.itemsImported, { ...connector, result: 'imported' })).toBe(status.totals.imported);
    expect(sample(text, LP_METRIC_NAMES.itemsImported, { ...connector, result: 'failed' })).toBe(status.totals.failed);
    expect(sample(text, LP_METRIC_NAMES.conversationsFetched, connector)).toBe(status.totals.fromSource);
    const lag = sample(text, LP_METRIC_NAMES.lagSeconds, connector);
    expect(lag).toBeGreaterThan(0);
    expect(lag).toBeLessThan(3_600);
    // The SDK's own worker metrics are on the same endpoint.
    expect(sample(text, 'temporal_activity_execution_latency_count')).toBeGreaterThan(0);

    await h.client.workflow.getHandle(workflowId).signal(stopSignal);
    await h.client.workflow.getHandle(workflowId).result();

    // Every output line is one JSON object; activity lines carry the connector, window, page and activity.
    const json = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    // At INFO the activity lines carry no task token (~200 characters each); it is kept at DEBUG only.
    expect(json.filter((l) => typeof l.activityType === 'string').length).toBeGreaterThan(0);
    expect(json.filter((l) => 'taskToken' in l)).toEqual([]);
    const imported = json.find((l) => l.msg === 'importPage done' && l.connector === config.name);
    expect(imported).toMatchObject({
      level: 'INFO',
      activityType: 'importPage',
      workflowId,
      page: expect.any(Number),
      windowFrom: expect.any(String),
    });

    const exit = await worker!.stop(40_000);
    expect(exit).toEqual({ code: 0, signal: null });
    // Lines after the stop request are kept in the process's recent output, not passed to `log`.
    expect(
      worker!
        .recentOutput()
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .some((l) => l.msg === 'lp-archive worker stopped'),
    ).toBe(true);
  });
});
