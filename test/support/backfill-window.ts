import type { WorkflowHandle } from '@temporalio/client';
import { connectorWorkflowId, type ConnectorConfig, type ConnectorStatus } from '../../src/model';
import type { connectorWorkflow } from '../../src/workflows';
import { stopSignal } from '../../src/workflows/messages';
import { waitForStatus, type Harness } from './connector-harness';
import { historiesOfAllRuns } from './history';

const HOUR = 3_600_000;

/**
 * A backfill of one window (the last 25 hours before `anchor`, windows of 2 days) with `schedule` on top, run until
 * the window is done, then stopped: its config, start, final status and the events of all its runs.
 */
export async function backfillOneWindow(h: Harness, anchor: number, schedule: Record<string, unknown>) {
  const startAt = anchor - 25 * HOUR;
  const config: ConnectorConfig = h.config({
    startDate: new Date(startAt).toISOString(),
    backfillWindow: '2d',
    lag: '1m',
    pollInterval: '2s',
    minWindow: '1m',
    ...schedule,
  });
  const workflowId = connectorWorkflowId(config.name);
  const started = await h.client.workflow.start('connectorWorkflow', { taskQueue: h.taskQueue, workflowId, args: [{ config }] });
  const handle = started as WorkflowHandle<typeof connectorWorkflow>;
  await waitForStatus('the backfill window to finish', handle, (s) => s.windowsDone >= 1, 120_000);
  await handle.signal(stopSignal);
  const result: ConnectorStatus = await handle.result();
  const runs = await historiesOfAllRuns(h.client, workflowId, started.firstExecutionRunId);
  return { config, startAt, handle, result, runs, events: runs.flatMap((r) => r.events) };
}
