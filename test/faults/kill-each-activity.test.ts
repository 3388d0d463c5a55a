import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { dataConverterFromEnv } from '../../src/codec';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { connectorWorkflowId, type ConnectorStatus } from '../../src/model';
import { BlobStaging } from '../../src/storage/blob-staging';
import { statusQuery, stopSignal } from '../../src/workflows/messages';
import { startGraphEmulator, type GraphEmulator } from '../../emulators/graph';
import { localServerTls } from '../../scripts/lib/local-ca';
import { startLivePersonEmulator, type LivePersonEmulator } from '../../emulators/liveperson';
import { verifyRun } from '../../scripts/faults/verify';
import { WorkerFleet } from '../../scripts/faults/worker-fleet';
import { eventually, LP_CLIENT, TEST_ENV } from '../support/connector-harness';
import { historiesOfAllRuns } from '../support/history';
import { testServices } from '../setup/services';

const DAY = 86_400_000;
const KINDS = ['preparePage', 'importPage', 'completeWindow'] as const;
const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

/** The activity of this type a worker is running right now, if any. */
let lastPending = '';
async function running(handle: WorkflowHandle, type: string): Promise<{ attempt: number } | undefined> {
  const d = await handle.describe();
  lastPending = JSON.stringify(
    d.raw.pendingActivities?.map((p) => ({
      type: p.activityType?.name,
      state: p.state,
      attempt: p.attempt,
      failure: p.lastFailure?.message,
    })),
  );
  const a = d.raw.pendingActivities?.find((p) => p.activityType?.name === type && p.state === STARTED);
  return a ? { attempt: a.attempt ?? 1 } : undefined;
}

describe('a worker SIGKILLed in the middle of each activity kind', () => {
  const services = testServices();
  const seed = 4242;
  const anchor = Date.now() - 10 * 60_000;
  let lp: LivePersonEmulator;
  let graph: GraphEmulator;
  let fleet: WorkerFleet;
  let connection: Connection;
  const log: string[] = [];

  beforeAll(async () => {
    // Slow emulators, so that each activity kind runs long enough to be caught in the act.
    lp = await startLivePersonEmulator({
      port: 0,
      seed,
      conversations: 120,
      days: 1,
      anchorTime: anchor,
      maxMessages: 12,
      clientId: LP_CLIENT.id,
      clientSecret: LP_CLIENT.secret,
      faults: { slowRate: 1, slowMs: 300 },
    });
    graph = await startGraphEmulator({ seed, port: 0, latencyMs: 25, tls: localServerTls() });
    connection = await Connection.connect({ address: services.temporalAddress });
  });
  afterAll(async () => {
    await fleet?.stopAll();
    await connection?.close();
    await lp?.close();
    await graph?.close();
  });

  it('is retried elsewhere, and every (conversation, mapped mailbox) pair ends up in the mailbox exactly once', async () => {
    const prefix = `k${randomBytes(4).toString('hex')}-`;
    const staging = new BlobStaging({
      kind: 'connection-string',
      connectionString: services.azuriteConnectionString,
      containerPrefix: prefix,
    });
    const taskQueue = `kill-${randomBytes(4).toString('hex')}`;
    fleet = new WorkerFleet(
      {
        TEMPORAL_ADDRESS: services.temporalAddress,
        TEMPORAL_NAMESPACE: services.temporalNamespace,
        AZURE_STORAGE_CONNECTION_STRING: services.azuriteConnectionString,
        LPA_CONTAINER_PREFIX: prefix,
        LPA_TASK_QUEUE: taskQueue,
        ...TEST_ENV,
      },
      1,
      (line) => log.push(line),
    );
    await fleet.start(0);

    const startAt = anchor - DAY - 30 * 60_000;
    const config = parseConnectorConfig(
      {
        name: `kill-${randomBytes(3).toString('hex')}`,
        liveperson: { accountId: lp.accountId, credentialsRef: 'LP_TEST', csdsBaseUrl: lp.url, serviceScheme: 'http' },
        graph: { credentialsRef: 'GRAPH_TEST', baseUrl: `${graph.url}/v1.0`, authorityHost: graph.url, trustedAuthority: true },
        schedule: {
          startDate: new Date(startAt).toISOString(),
          backfillWindow: '12h',
          lag: '1m',
          pollInterval: '2s',
          minWindow: '1m',
          pageSize: 60,
          batchSize: 60,
          pageConcurrency: 1,
        },
      },
      Date.now(),
    );
    const client = new Client({ connection, namespace: services.temporalNamespace, dataConverter: dataConverterFromEnv() });
    const workflowId = connectorWorkflowId(config.name);
    const started = await client.workflow.start('connectorWorkflow', {
      taskQueue,
      workflowId,
      args: [{ config, tuning: { heartbeatTimeoutMs: 3000, fetchTimeoutMs: 5000 } }],
    });
    const handle = client.workflow.getHandle(workflowId);

    // For each kind in turn: wait until a worker runs one, SIGKILL that worker, start a fresh one.
    const caught: Record<string, number> = {};
    for (const kind of KINDS) {
      const act = await eventually(`a running ${kind}`, () => running(handle, kind), 60_000, 40).catch(async (err: Error) => {
        const st = await handle.query(statusQuery).catch(() => undefined);
        throw new Error(
          `${err.message}; pending: ${lastPending}; status ${JSON.stringify(st)}; caught ${JSON.stringify(caught)}; worker log:\n${log.join('\n')}`,
        );
      });
      caught[kind] = act.attempt;
      expect(await fleet.kill(0)).toBe(true);
      await fleet.start(0);
    }
    expect(fleet.kills).toBe(KINDS.length);

    // Then it catches up: live, with the cursor past the last conversation.
    const lastEnd = Math.max(...lp.store.truth(-Infinity, Infinity).map((c) => c.endTime));
    let last: ConnectorStatus | undefined;
    await eventually(
      'the connector to catch up',
      async () => {
        last = await handle.query(statusQuery);
        return last.state === 'live' && Date.parse(last.cursor) > lastEnd ? last : undefined;
      },
      90_000,
      500,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last status ${JSON.stringify(last)}; worker log:\n${log.join('\n')}`);
    });
    await handle.signal(stopSignal);
    const final = (await handle.result()) as ConnectorStatus;

    // Each killed activity was retried: the history shows a later attempt of every kind.
    const events = (await historiesOfAllRuns(client, workflowId, started.firstExecutionRunId)).flatMap((r) => r.events);
    const scheduled = new Map<number, string>();
    for (const e of events) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s?.activityType?.name) scheduled.set(Number(e.eventId), s.activityType.name);
    }
    const retried = new Set(
      events.flatMap((e) => {
        const st = e.activityTaskStartedEventAttributes;
        return st && (st.attempt ?? 1) > 1 ? [scheduled.get(Number(st.scheduledEventId)) ?? '?'] : [];
      }),
    );
    expect([...KINDS].filter((k) => !retried.has(k))).toEqual([]);

    const verdicts = await verifyRun({
      lpUrl: lp.url,
      graphUrl: graph.url,
      seed,
      connector: config.name,
      folderName: config.graph.folderName,
      startAt,
      status: final,
      store: staging,
    });
    expect(verdicts.filter((v) => !v.pass)).toEqual([]);
    expect(final.totals.fromSource).toBe(120);
    expect(final.totals.imported).toBeGreaterThan(100);
    expect(fleet.unexpectedExits).toBe(0);
  }, 240_000);
});
