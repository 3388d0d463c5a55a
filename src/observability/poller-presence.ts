import { temporal } from '@temporalio/proto';
import type { NativeConnection } from '@temporalio/worker';

const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;

/** Where to look for a worker's pollers. */
export interface PollerPresenceTarget {
  readonly connection: Pick<NativeConnection, 'workflowService'>;
  readonly namespace: string;
  readonly taskQueue: string;
  /** The worker's identity (WorkerOptions.identity), as the server lists it among the task queue's pollers. */
  readonly identity: string;
}

/**
 * Whether the Temporal server has seen this worker poll its task queue for both workflow and activity
 * tasks (DescribeTaskQueue lists recent pollers by identity). This, not the worker's local state, is what
 * "ready" means: the server can hand it work.
 */
export async function serverSeesPolling(target: PollerPresenceTarget): Promise<boolean> {
  for (const taskQueueType of [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY]) {
    const res = await target.connection.workflowService.describeTaskQueue({
      namespace: target.namespace,
      taskQueue: { name: target.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType,
    });
    if (!(res.pollers ?? []).some((p) => p.identity === target.identity)) return false;
  }
  return true;
}
