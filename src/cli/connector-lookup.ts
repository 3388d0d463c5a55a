import { WorkflowNotFoundError, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { connectorWorkflowId, type ConnectorStatus } from '../model';
import { statusQuery } from '../workflows/messages';
import { CliError, ConnectorNotFoundError, ConnectorNotRunningError } from './errors';
import { statusAt, type StatusView } from './status-view';
import type { ConnectedClient } from './temporal-client';

export interface ConnectorHandle {
  readonly name: string;
  readonly handle: WorkflowHandle;
  readonly description: WorkflowExecutionDescription;
}

/** The newest run of a connector's workflow; throws ConnectorNotFoundError when it never ran. */
export async function findConnector(c: ConnectedClient, name: string): Promise<ConnectorHandle> {
  const workflowId = connectorWorkflowId(name);
  const handle = c.client.workflow.getHandle(workflowId);
  try {
    return { name, handle, description: await handle.describe() };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ConnectorNotFoundError(name, workflowId, c.namespace);
    throw err;
  }
}

/** Like {@link findConnector}, but the workflow must be running (to take a signal). */
export async function findRunningConnector(c: ConnectedClient, name: string): Promise<ConnectorHandle> {
  const found = await findConnector(c, name);
  const status = found.description.status.name;
  if (status !== 'RUNNING') throw new ConnectorNotRunningError(name, status);
  return found;
}

/** How long the status query may wait for a worker to answer. */
export const QUERY_TIMEOUT_MS = 15_000;

/**
 * The connector log: the status query of a running connector, or the result of a stopped one (which
 * needs no worker), as of the moment it was read (the lag is computed then). A query nobody answers fails
 * with the fix (start a worker) instead of hanging.
 */
export async function readStatus(
  c: ConnectedClient,
  name: string,
  timeoutMs = QUERY_TIMEOUT_MS,
  found?: ConnectorHandle,
): Promise<StatusView> {
  const { handle, description } = found ?? (await findConnector(c, name));
  const status = description.status.name;
  if (status === 'COMPLETED') return statusAt((await handle.result()) as ConnectorStatus, Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CliError(
            `No worker answered the status query of connector "${name}" within ${Math.round(timeoutMs / 1000)} s. Is a worker running on task queue "${description.taskQueue}" (npm run worker)?`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return statusAt(await Promise.race([handle.query(statusQuery), timeout]), Date.now());
  } catch (err) {
    if (status !== 'RUNNING' && !(err instanceof CliError)) throw new ConnectorNotRunningError(name, status);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
