import type { WorkflowExecutionInfo } from '@temporalio/client';
import { LP_CONNECTOR_NAME, LP_CONNECTOR_STATE, LP_CURSOR_TIME } from '../model';
import type { ConnectedClient } from './temporal-client';

/** Connector workflows, newest run only (earlier runs ended in continue-as-new). */
export const CONNECTOR_LIST_QUERY = "WorkflowType = 'connectorWorkflow' AND ExecutionStatus != 'ContinuedAsNew'";

/** One connector as Temporal visibility knows it (no worker needed). */
export interface ConnectorListRow {
  readonly name: string;
  readonly workflowId: string;
  readonly status: string;
  readonly state?: string;
  readonly cursor?: string;
  readonly startTime: string;
}

const WORKFLOW_ID_PREFIX = 'lp-archive-connector-';

function toRow(w: WorkflowExecutionInfo): ConnectorListRow {
  const name = w.typedSearchAttributes.get(LP_CONNECTOR_NAME) ?? w.workflowId.replace(WORKFLOW_ID_PREFIX, '');
  const state = w.typedSearchAttributes.get(LP_CONNECTOR_STATE);
  const cursor = w.typedSearchAttributes.get(LP_CURSOR_TIME);
  return {
    name,
    workflowId: w.workflowId,
    status: w.status.name,
    ...(state !== undefined ? { state } : {}),
    ...(cursor !== undefined ? { cursor: cursor.toISOString() } : {}),
    startTime: w.startTime.toISOString(),
  };
}

/**
 * Every connector (newest run of each workflow id), sorted by name; `filter` is ANDed to the query. Used by
 * `connector list` and the console.
 */
export async function listConnectors(c: ConnectedClient, filter?: string): Promise<ConnectorListRow[]> {
  const query = filter ? `${CONNECTOR_LIST_QUERY} AND (${filter})` : CONNECTOR_LIST_QUERY;
  const latest = new Map<string, WorkflowExecutionInfo>();
  for await (const w of c.client.workflow.list({ query })) {
    const prior = latest.get(w.workflowId);
    if (!prior || prior.startTime < w.startTime) latest.set(w.workflowId, w);
  }
  return [...latest.values()].map(toRow).sort((a, b) => a.name.localeCompare(b.name));
}
