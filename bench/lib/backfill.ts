import type { EmulatorProcess } from '../../scripts/lib/emulators';
import { countHistoryActions, serverRequests, type ActionCounts, type ActivityBreakdown } from './actions';
import { benchConfig, launch, statusOf, terminate, waitForCursor } from './connector';
import { graphStats, meterStackCpu, freshStores, workerEnv, type GraphStats, type PhaseContext } from './context';
import { startBenchWorker } from './worker';

export interface BackfillResult {
  readonly conversations: number;
  /** Items in mailboxes: (conversation, mailbox) pairs imported or partial. */
  readonly items: number;
  readonly failedPairs: number;
  readonly seconds: number;
  readonly actions: ActionCounts;
  readonly byActivity: ActivityBreakdown;
  readonly peakRssMb: number;
  readonly graphThrottled: number;
  readonly graph: GraphStats;
  /** CPU seconds per process during the phase. */
  readonly cpuSeconds: ReadonlyMap<string, number>;
}

/**
 * End-to-end backfill on Temporal: one connector from `startDate` on, the real worker as a child process;
 * done when its cursor reaches (start − lag), i.e. every conversation closed before then is imported.
 */
export async function runBackfill(ctx: PhaseContext, lp: EmulatorProcess, startDate: string, timeoutMs: number): Promise<BackfillResult> {
  const { stack, client, progress } = ctx;
  await freshStores(stack);
  const worker = await startBenchWorker(workerEnv(stack, 'bench-backfill', 'bench-backfill-'));
  try {
    const config = benchConfig('bench-backfill', lp, stack.graph, { startDate });
    const hb0 = await serverRequests(stack.temporalMetricsUrl, 'RecordActivityTaskHeartbeat');
    const cpu = meterStackCpu(stack, lp, { worker: worker.proc.pid });
    const t0 = Date.now();
    const workflowId = await launch(client, 'bench-backfill', config);
    progress(`backfill: connector ${workflowId} started; waiting for its cursor to reach now − lag`);
    const done = await waitForCursor(client, workflowId, t0 - config.schedule.lagMs, timeoutMs);
    const seconds = (done - t0) / 1000;
    const cpuSeconds = cpu.read();
    const status = await statusOf(client, workflowId);
    await terminate(client, workflowId);
    const hb1 = await serverRequests(stack.temporalMetricsUrl, 'RecordActivityTaskHeartbeat');
    const byActivity: ActivityBreakdown = new Map();
    const actions = await countHistoryActions(client, workflowId, byActivity);
    actions.heartbeats = hb1 - hb0;
    actions.queries = 1;
    const t = status.totals;
    const g = await graphStats(stack.graph);
    return {
      conversations: t.fromSource,
      items: t.imported + t.partial,
      failedPairs: t.failed,
      seconds,
      actions,
      byActivity,
      peakRssMb: worker.peakRssMb(),
      graphThrottled: g.throttled,
      graph: g,
      cpuSeconds,
    };
  } finally {
    await worker.stop();
  }
}
