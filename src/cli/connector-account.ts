import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { ConnectorWorkflowInput } from '../workflows';
import { findConnector } from './connector-lookup';
import { CliError } from './errors';
import type { ConnectedClient } from './temporal-client';

/**
 * The LivePerson account of a connector, from the input of its newest run (the first event of that run's history,
 * decoded with the client's codec): what a cleanup schedule needs when only the connector's name is given.
 */
export async function connectorAccountOf(c: ConnectedClient, name: string): Promise<string> {
  const { handle, description } = await findConnector(c, name);
  const response = await c.client.workflowService.getWorkflowExecutionHistory({
    namespace: c.namespace,
    execution: { workflowId: handle.workflowId, runId: description.runId },
    maximumPageSize: 1,
  });
  const payloads = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  const input = await decodeFromPayloadsAtIndex<Partial<ConnectorWorkflowInput>>(c.client.options.loadedDataConverter, 0, payloads);
  const accountId = input?.config?.liveperson?.accountId;
  if (typeof accountId !== 'string' || accountId === '')
    throw new CliError(
      `Could not read the LivePerson account of connector "${name}" from its workflow's input. ` +
        'Run "connector start <config-file>" with its config instead: it creates the cleanup schedule as well.',
    );
  return accountId;
}
