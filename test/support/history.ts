import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Every run of a workflow, first to last, following continue-as-new. */
export async function historiesOfAllRuns(client: Client, workflowId: string, firstRunId: string) {
  const runs: { runId: string; events: HistoryEvent[] }[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    runs.push({ runId, events });
    const can: HistoryEvent | undefined = events.find((e) => e.workflowExecutionContinuedAsNewEventAttributes);
    runId = can?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/** Decoded inputs of the activities of a given type scheduled in these events (default JSON converter). */
export function activityInputs<T>(events: readonly HistoryEvent[], activityType: string): T[] {
  return events.flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType?.name !== activityType) return [];
    const data = a.input?.payloads?.[0]?.data;
    return data ? [JSON.parse(Buffer.from(data).toString('utf8')) as T] : [];
  });
}
