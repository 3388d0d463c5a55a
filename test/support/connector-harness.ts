import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { connectClient } from '../../src/cli/temporal-client';
import { createConnectorWorker, type ConnectorWorker } from '../../src/runtime/connector-worker';
import { connectWorkerToTemporal } from '../../src/runtime/temporal-connection';
import { dataConverterFromEnv } from '../../src/codec';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { connectorWorkflowId, type ConnectorConfig, type ConnectorStatus } from '../../src/model';
import type { connectorWorkflow } from '../../src/workflows';
import type { ActivityTuning } from '../../src/workflows/activities-proxy';
import { statusQuery } from '../../src/workflows/messages';
import { BlobStaging } from '../../src/storage/blob-staging';
import { startGraphEmulator } from '../../emulators/graph';
import { startLivePersonEmulator, type LivePersonEmulatorOptions } from '../../emulators/liveperson';
import { localServerTls } from '../../scripts/lib/local-ca';
import { testServices, uniqueId } from '../setup/services';

export const LP_CLIENT = { id: 'lp-demo-client', secret: 'lp-demo-secret' };
export const GRAPH_CLIENT = { tenant: 'contoso-tenant', id: 'graph-demo-client', secret: 'graph-demo-secret' };

/** The worker-side secrets for the test connectors, as the worker would read them from its environment. */
export const TEST_ENV = {
  LP_TEST_CLIENT_ID: LP_CLIENT.id,
  LP_TEST_CLIENT_SECRET: LP_CLIENT.secret,
  GRAPH_TEST_TENANT_ID: GRAPH_CLIENT.tenant,
  GRAPH_TEST_CLIENT_ID: GRAPH_CLIENT.id,
  GRAPH_TEST_CLIENT_SECRET: GRAPH_CLIENT.secret,
};

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * Everything a connector needs, for real: the LivePerson emulator over HTTP, the Graph emulator over HTTPS, Azurite through the storage client,
 * the Temporal dev server from the global setup, and a worker with the real activities.
 */
export async function startHarness(
  opts: {
    readonly lp?: LivePersonEmulatorOptions;
    readonly temporalAddress?: string;
    readonly seed?: number;
    /** Client and worker share it; default from LPA_CODEC_KEYS (plain JSON when unset). */
    readonly dataConverter?: DataConverter;
    /** The worker's maxConcurrentActivityTaskExecutions, counted as the real worker does (default: the SDK's, uncounted). */
    readonly activitySlots?: number;
    /** The cleanup activity's retention in days, as LPA_RETENTION_DAYS gives it (0 here: everything written before now is due). */
    readonly retentionDays?: number;
    /**
     * Connect the worker and the client as production does, from these TEMPORAL_* variables (TLS, client
     * certificate, API key) instead of a plain connection to the test server.
     */
    readonly temporalEnv?: Readonly<Record<string, string>>;
  } = {},
) {
  const services = testServices();
  const seed = opts.seed ?? 42;
  const lp = await startLivePersonEmulator({ port: 0, seed, clientId: LP_CLIENT.id, clientSecret: LP_CLIENT.secret, ...opts.lp });
  // Over HTTPS with the local CA (jest runs trusting it), so the worker signs in through @azure/identity as in production.
  const graph = await startGraphEmulator({ seed, port: 0, tls: localServerTls() });
  const prefix = uniqueId('lpa');
  const staging = new BlobStaging({
    kind: 'connection-string',
    connectionString: services.azuriteConnectionString,
    containerPrefix: `${prefix}-`,
  });
  await staging.ensureContainers();
  const address = opts.temporalAddress ?? services.temporalAddress;
  const dataConverter = opts.dataConverter ?? dataConverterFromEnv();
  let connection: Connection;
  let nativeConnection: NativeConnection;
  if (opts.temporalEnv) {
    const env = { TEMPORAL_NAMESPACE: services.temporalNamespace, ...opts.temporalEnv };
    connection = (await connectClient({}, env)).client.connection as Connection;
    nativeConnection = (await connectWorkerToTemporal(env)).connection;
  } else {
    connection = await Connection.connect({ address });
    nativeConnection = await NativeConnection.connect({ address });
  }
  const client = new Client({ connection, namespace: services.temporalNamespace, dataConverter });
  const taskQueue = uniqueId('tq');
  /** A connector config pointing at this harness's emulators; `schedule` fields override the test defaults. */
  function config(schedule: Record<string, unknown>, extra: Record<string, unknown> = {}): ConnectorConfig {
    return parseConnectorConfig(
      {
        name: uniqueId('c'),
        liveperson: { accountId: lp.accountId, credentialsRef: 'LP_TEST', csdsBaseUrl: lp.url, serviceScheme: 'http' },
        graph: { credentialsRef: 'GRAPH_TEST', baseUrl: `${graph.url}/v1.0`, authorityHost: graph.url, trustedAuthority: true },
        schedule,
        ...extra,
      },
      Date.now(),
    );
  }

  /** A worker built as the production worker builds it (same activities, interceptors and slot count). */
  async function newWorker(): Promise<ConnectorWorker> {
    return createConnectorWorker({
      connection: nativeConnection,
      namespace: services.temporalNamespace,
      taskQueue,
      staging,
      env: TEST_ENV,
      dataConverter,
      ...(opts.activitySlots !== undefined ? { maxConcurrentActivities: opts.activitySlots } : {}),
      ...(opts.retentionDays !== undefined ? { retentionDays: opts.retentionDays } : {}),
    });
  }

  /** Workers started with startWorker, stopped by close. */
  const runningWorkers: { worker: ConnectorWorker; running: Promise<void> }[] = [];

  /** A worker that runs until close (which shuts it down and waits for it first). */
  async function startWorker(): Promise<ConnectorWorker> {
    const worker = await newWorker();
    runningWorkers.push({ worker, running: worker.run() });
    return worker;
  }

  async function close(): Promise<void> {
    for (const { worker } of runningWorkers) worker.shutdown();
    await Promise.all(runningWorkers.splice(0).map((w) => w.running));
    await connection.close();
    await nativeConnection.close();
    await lp.close();
    await graph.close();
  }

  /** Starts the connector workflow of `config` on this harness's task queue (a short heartbeat timeout by default). */
  async function startConnector(
    connector: ConnectorConfig,
    tuning: ActivityTuning = { heartbeatTimeoutMs: 10_000 },
  ): Promise<WorkflowHandle<typeof connectorWorkflow>> {
    return client.workflow.start<typeof connectorWorkflow>('connectorWorkflow', {
      taskQueue,
      workflowId: connectorWorkflowId(connector.name),
      args: [{ config: connector, tuning }],
    });
  }

  return { lp, graph, staging, client, taskQueue, config, newWorker, startWorker, startConnector, close };
}

/** Polls until `check` returns a value (not undefined), or fails with the last seen state after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Queries the connector's status until `ok` holds; on timeout the error shows the last status seen. */
export async function waitForStatus(
  what: string,
  handle: WorkflowHandle,
  ok: (s: ConnectorStatus) => boolean,
  timeoutMs = 60_000,
): Promise<ConnectorStatus> {
  let last: ConnectorStatus | undefined;
  return eventually(
    what,
    async () => {
      last = await handle.query(statusQuery);
      return ok(last) ? last : undefined;
    },
    timeoutMs,
    200,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last status: ${JSON.stringify(last)}`);
  });
}
