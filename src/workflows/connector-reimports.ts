import { ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import type { TimeWindow } from '../model';
import type { ActivityTuning } from './activities-proxy';
import type { ConnectorEffects } from './connector-effects';
import type { Connector } from './connector-state';
import { reimportWorkflow } from './reimport-workflow';

/** Starts a reimport child over `windows`; its counts join the connector log when it completes. */
export async function launchReimport(
  c: Connector,
  fx: ConnectorEffects,
  windows: readonly TimeWindow[],
  tuning: ActivityTuning | undefined,
): Promise<string> {
  const info = workflowInfo();
  const { id, scope, entry } = c.addReimport(info.workflowId, info.runId, windows);
  const child = await startChild(reimportWorkflow, {
    workflowId: id,
    args: [{ config: c.config, windows, scope, ...(tuning ? { tuning } : {}) }],
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
  void child.result().then(
    (r) => {
      c.reimportDone(entry, r, Date.now()); // workflow-task time: deterministic on replay
      fx.show();
    },
    (err: unknown) => c.reimportFailed(entry, err),
  );
  return id;
}
