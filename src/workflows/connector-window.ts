import { patched } from '@temporalio/workflow';
import { utcDay, type ConversationSource, type TimeWindow } from '../model';
import type { WindowActivities } from './activities-proxy';
import type { ConnectorEffects } from './connector-effects';
import type { Connector } from './connector-state';
import { WindowAbandoned, WindowRestart } from './guard';
import { DRAIN_LANES_PATCH, FUSED_PREPARE_PATCH, processWindow, type Guard } from './process-window';

/**
 * One collection window of the connector: every batch, then the cursor moves to its end. A window restarted by
 * a reconfigure runs again with the new config (every step is idempotent; what it finds of its own earlier
 * writes counts as imported, not as duplicates); a stop abandons it. Either way its counts are rolled back.
 * Returns false when the window was abandoned. `source`: the LivePerson product the window reads (its own cursor).
 */
export async function collectWindow(
  c: Connector,
  acts: WindowActivities,
  guard: Guard,
  fx: ConnectorEffects,
  window: TimeWindow,
  now: number,
  source: ConversationSource = 'messaging',
): Promise<boolean> {
  fx.enter(c.beginWindow(window, now, source));
  const before = c.snapshotLog();
  const lane = c.lane(source);
  const rerun = lane.rerunWindow;
  const windowGuard: Guard = (call) => guard((retried) => call(retried || rerun));
  let wroteManifest: boolean;
  try {
    const day = utcDay(Date.now()); // workflow-task time: deterministic on replay
    const outcome = await processWindow(
      acts,
      windowGuard,
      c.config,
      window,
      day,
      c.current!.progress,
      (batch) => {
        c.recordBatch(day, batch.counts, batch.failures, source);
        fx.show();
      },
      {
        drainOnFailure: () => patched(DRAIN_LANES_PATCH),
        fusedPrepare: () => patched(FUSED_PREPARE_PATCH),
        ...(source === 'chat' ? { source } : {}),
      },
    );
    wroteManifest = outcome.manifest;
  } catch (err) {
    c.current = undefined;
    if (!(err instanceof WindowAbandoned || err instanceof WindowRestart)) throw err;
    c.rollbackLog(before);
    if (err instanceof WindowAbandoned) {
      c.abandonWindow(source);
      return false;
    }
    lane.rerunWindow = true; // same window, new config
    return true;
  }
  c.finishWindow(window, wroteManifest, now, source);
  fx.cursorMoved();
  return true;
}
