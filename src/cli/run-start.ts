import type { WorkflowExecutionDescription } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { ConnectorWorkflowInput } from '../workflows';
import type { Sample } from './progress';
import type { ConnectedClient } from './temporal-client';

/** Where the current run of a connector started: its backfill start, and its cursor when the run began. */
export interface RunStart {
  /** The config's start date (epoch ms): the backfill's 0 %. */
  readonly from: number;
  /** The run's start time and cursor then: with the cursor now, the backfill rate of this run. */
  readonly runStart: Sample;
}

/**
 * Reads the first event of the connector's current run (its input: the config and the carried cursor), one
 * event only. Undefined when it cannot be read (no permission, an input of another shape): progress then
 * waits for the cursor to move instead.
 */
export async function readRunStart(c: ConnectedClient, description: WorkflowExecutionDescription): Promise<RunStart | undefined> {
  try {
    const { history } = await c.client.workflowService.getWorkflowExecutionHistory({
      namespace: c.namespace,
      execution: { workflowId: description.workflowId, runId: description.runId },
      maximumPageSize: 1,
    });
    const payloads = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
    const input = await decodeFromPayloadsAtIndex<ConnectorWorkflowInput>(c.client.options.loadedDataConverter, 0, payloads);
    const from = input.config.schedule.startAt;
    const cursor = input.carried?.cursor ?? from;
    if (!Number.isFinite(from) || !Number.isFinite(cursor)) return undefined;
    return { from, runStart: { at: description.startTime.getTime(), cursor } };
  } catch {
    return undefined;
  }
}
