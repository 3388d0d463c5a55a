import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { FollowLease, FollowStanding } from '../activities/follow-live';

const CANCEL_REQUESTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED;

/**
 * The follower's lease, read from Temporal without a billed action: its workflow's description lists the running
 * follow as pending on this very attempt (a follow Temporal gave up on and retried elsewhere is lost), and whether the
 * workflow asked it to end (cancel requested: an operator's signal, a reconfigure, a continue-as-new). Cancellation
 * reaches an activity only through heartbeats, and each heartbeat is a billed action; a describe is not. A worker cut
 * off from Temporal cannot read it: lost, it stops writing, as it should.
 */
export function temporalFollowLease(client: Client): FollowLease {
  return {
    async standing(): Promise<FollowStanding> {
      const info = Context.current().info;
      const execution = info.workflowExecution;
      if (!execution) return 'lost'; // not a workflow's activity: nobody to follow for
      try {
        const described = await client.workflowService.describeWorkflowExecution({
          namespace: info.workflowNamespace ?? info.activityNamespace,
          execution: { workflowId: execution.workflowId, runId: execution.runId },
        });
        const mine = described.pendingActivities?.find((a) => a.activityId === info.activityId);
        if (!mine || (mine.attempt ?? 1) !== info.attempt) return 'lost';
        return mine.state === CANCEL_REQUESTED ? 'ending' : 'wanted';
      } catch (err) {
        Context.current().log.warn('Cannot read from Temporal whether this follow is still wanted; it ends here', {
          error: (err as Error).message,
        });
        return 'lost';
      }
    },
  };
}
