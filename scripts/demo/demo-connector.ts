import { type Client } from '@temporalio/client';
import { parseConnectorConfig, type ConnectorFile } from '../../src/config/connector-schema';
import { startConnector } from '../../src/cli/start-connector';
import { connectorWorkflowId, type ConnectorConfig } from '../../src/model';
import { DEMO_CREDENTIALS_REF } from '../lib/worker-process';

const DAY_MS = 86_400_000;

/** Where the demo connector's services are and how far back it starts. */
export interface DemoConnectorParams {
  readonly name: string;
  readonly accountId: string;
  readonly lpUrl: string;
  readonly graphUrl: string;
  /** ISO date-time where the backfill starts. */
  readonly startDate: string;
}

/**
 * The demo connector in the connector file format (what `npm run starter -- connector start` reads; see
 * examples/demo-connector.yaml): both emulators, credentials named by reference, 6 h backfill windows.
 */
export function demoConnectorFile(p: DemoConnectorParams): ConnectorFile {
  return {
    name: p.name,
    liveperson: {
      accountId: p.accountId,
      credentialsRef: DEMO_CREDENTIALS_REF.liveperson,
      csdsBaseUrl: p.lpUrl,
      serviceScheme: 'http',
      // The emulator serves legacy chats too (emulators.liveperson.chats): the demo archives both (docs/legacy-chat.md).
      sources: ['messaging', 'chat'],
    },
    graph: { credentialsRef: DEMO_CREDENTIALS_REF.graph, baseUrl: `${p.graphUrl}/v1.0`, authorityHost: p.graphUrl, trustedAuthority: true },
    schedule: { startDate: p.startDate, backfillWindow: '6h', lag: '1m', pollInterval: '30s' },
  };
}

/** A start date a little before the emulator's oldest conversation (it spreads them over `days` back from its start). */
export function demoStartDate(now: number, days: number): string {
  return new Date(now - (days + 0.1) * DAY_MS).toISOString();
}

/** The validated config, through the same parser the starter uses. */
export function demoConnectorConfig(p: DemoConnectorParams, now = Date.now()): ConnectorConfig {
  return parseConnectorConfig(demoConnectorFile(p), now);
}

/** What {@link ensureConnectorRunning} did. */
export type ConnectorStart =
  | { readonly kind: 'started'; readonly workflowId: string; readonly runId: string; readonly resumedFrom?: string }
  | { readonly kind: 'kept'; readonly workflowId: string; readonly runId: string };

/**
 * Starts the connector through the starter's code path, or keeps it when it already runs (a previous demo
 * on the same SQLite file): a running connector's cursor and log are the point of a durable workflow.
 */
export async function ensureConnectorRunning(client: Client, taskQueue: string, config: ConnectorConfig): Promise<ConnectorStart> {
  const workflowId = connectorWorkflowId(config.name);
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    if (description.status.name === 'RUNNING') return { kind: 'kept', workflowId, runId: description.runId };
  } catch {
    // Never ran: start it below.
  }
  const started = await startConnector(client, taskQueue, config);
  return { kind: 'started', ...started };
}
