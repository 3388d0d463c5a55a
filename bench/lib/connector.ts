import { Client, Connection } from '@temporalio/client';
import { startConnector } from '../../src/cli/start-connector';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { connectorWorkflowId, LP_CURSOR_TIME, type ConnectorConfig, type ConnectorStatus } from '../../src/model';
import { statusQuery } from '../../src/workflows/messages';
import type { EmulatorProcess } from '../../scripts/lib/emulators';

/** The LivePerson emulator process's default account (scripts/lib/emulators). */
export const LP_ACCOUNT = '12345678';

/**
 * The LivePerson account of the `n`-th (1-based) of several connectors that each have their own: LP_ACCOUNT for
 * the first, the next ids up for the others (12345679, 12345680, …).
 */
export function lpAccountOf(n: number): string {
  return String(Number(LP_ACCOUNT) + n - 1);
}

/** Schedule settings every bench connector gets on top of the defaults (`--page-concurrency`); none by default. */
const scheduleOverrides: Record<string, unknown> = {};

export function overrideBenchSchedule(values: Record<string, unknown>): void {
  Object.assign(scheduleOverrides, values);
}

/** Whose data a bench connector archives: LP_ACCOUNT and the directory's own mailboxes unless told otherwise. */
export interface BenchTenant {
  readonly accountId?: string;
  /** A mapping CSV (graph.mappingCsvPath) that routes participants to other mailboxes, e.g. a copy of the directory. */
  readonly mappingCsvPath?: string;
}

/** A connector config against the bench's emulators, with the default schedule unless `schedule` overrides it. */
export function benchConfig(
  name: string,
  lp: EmulatorProcess,
  graph: EmulatorProcess,
  schedule: Record<string, unknown>,
  tenant: BenchTenant = {},
): ConnectorConfig {
  return parseConnectorConfig(
    {
      name,
      liveperson: { accountId: tenant.accountId ?? LP_ACCOUNT, credentialsRef: 'LP_DEMO', csdsBaseUrl: lp.url, serviceScheme: 'http' },
      graph: {
        credentialsRef: 'GRAPH_DEMO',
        baseUrl: `${graph.url}/v1.0`,
        authorityHost: graph.url,
        trustedAuthority: true,
        ...(tenant.mappingCsvPath !== undefined ? { mappingCsvPath: tenant.mappingCsvPath } : {}),
      },
      schedule: { ...scheduleOverrides, ...schedule },
    },
    Date.now(),
  );
}

export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}

/** Starts a connector the way the ops CLI does (same search attributes and memo). */
export async function launch(client: Client, taskQueue: string, config: ConnectorConfig): Promise<string> {
  return (await startConnector(client, taskQueue, config)).workflowId;
}

/** The connector's cursor from its search attribute (DescribeWorkflowExecution: not a billable action). */
export async function cursorOf(client: Client, workflowId: string): Promise<number | undefined> {
  const d = await client.workflow.getHandle(workflowId).describe();
  return d.typedSearchAttributes.get(LP_CURSOR_TIME)?.getTime();
}

/** Waits until the cursor reaches `target` (every window up to it is done); resolves with that moment (epoch ms). */
export async function waitForCursor(client: Client, workflowId: string, target: number, timeoutMs: number, everyMs = 500): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await cursorOf(client, workflowId).catch(() => undefined);
    if (c !== undefined && c >= target) return Date.now();
    if (Date.now() > deadline) {
      throw new Error(
        `connector ${workflowId} did not reach ${new Date(target).toISOString()} within ${timeoutMs / 1000} s (cursor ${c === undefined ? 'unset' : new Date(c).toISOString()}); look at it with the Temporal CLI against the bench's dev server`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** One status query (a billable action: the caller counts it). */
export async function statusOf(client: Client, workflowId: string): Promise<ConnectorStatus> {
  return client.workflow.getHandle(workflowId).query(statusQuery);
}

/** Ends the connector without a signal (termination is not a billable action), so counting stops here. */
export async function terminate(client: Client, workflowId: string): Promise<void> {
  await client.workflow.getHandle(workflowId).terminate('benchmark phase done');
}

export { connectorWorkflowId };
