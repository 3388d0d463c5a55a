import { ApplicationFailure } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { connectorActivities } from '../../src/runtime/connector-worker';
import { toActivityFailure } from '../../src/runtime/error-interceptor';
import { nextWindow, utcDay } from '../../src/model';
import { BlobStaging } from '../../src/storage/blob-staging';
import type { WindowActivities } from '../../src/workflows/activities-proxy';
import { processWindow, type Guard } from '../../src/workflows/process-window';
import type { EmulatorProcess } from '../../scripts/lib/emulators';
import { DEMO_CREDENTIALS } from '../../scripts/lib/worker-process';
import { benchConfig } from './connector';
import { graphStats, meterStackCpu, freshStores, type GraphStats, type PhaseContext } from './context';

export interface BaselineResult {
  readonly conversations: number;
  readonly items: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  /** CPU seconds per process during the phase. */
  readonly cpuSeconds: ReadonlyMap<string, number>;
  readonly graph: GraphStats;
  /** Seconds spent in each activity (summed over pages; lanes overlap, so the sum can exceed the wall time). */
  readonly activitySeconds: ReadonlyMap<string, number>;
}

/** Wraps each activity to add up the time spent in it, and converts its errors as the worker's interceptor does. */
function timed<T extends object>(acts: T, into: Map<string, number>): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(acts)) {
    out[name] = async (...args: unknown[]): Promise<unknown> => {
      const t = process.hrtime.bigint();
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (err) {
        throw toActivityFailure(err);
      } finally {
        into.set(name, (into.get(name) ?? 0) + Number(process.hrtime.bigint() - t) / 1e9);
      }
    };
  }
  return out as T;
}

/**
 * What Temporal's retry policy does for the connector, done by hand: a retryable failure (throttling, an
 * outage) is tried again after the delay the service asked for (else 5 s); a non-retryable one ends the run.
 */
const retrying: Guard = async <T>(call: (retried: boolean) => Promise<T>): Promise<T> => {
  for (let tries = 0; ; tries++) {
    try {
      return await call(tries > 0);
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || err.nonRetryable || tries >= 20) throw err;
      const delay = err.nextRetryDelay;
      await new Promise((r) => setTimeout(r, delay !== undefined && delay !== null ? msToNumber(delay) : 5_000));
    }
  }
};

/**
 * The same pipeline without Temporal: the activities called directly, window after window, through the very
 * `processWindow` the workflow runs (same order, same pageConcurrency lanes), with a guard that just calls.
 * Runs in this process against the same emulators and Azurite (its own containers, empty mailboxes).
 */
export async function runBaseline(ctx: PhaseContext, lp: EmulatorProcess, startDate: string): Promise<BaselineResult> {
  const { stack, progress } = ctx;
  await freshStores(stack);
  const staging = new BlobStaging({
    kind: 'connection-string',
    connectionString: stack.azurite.connectionString,
    containerPrefix: 'bench-baseline-',
  });
  await staging.ensureContainers();
  // processWindow only calls the activities; the proxies' extra `executeWithOptions` is never used.
  const activitySeconds = new Map<string, number>();
  const acts = timed(connectorActivities(staging, { ...DEMO_CREDENTIALS }), activitySeconds) as unknown as WindowActivities;
  const config = benchConfig('bench-baseline', lp, stack.graph, { startDate });
  const s = config.schedule;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 500);
  let conversations = 0;
  let items = 0;
  const cpu = meterStackCpu(stack, lp, { 'bench (baseline loop)': 'self' });
  const t0 = Date.now();
  const target = t0 - s.lagMs;
  let cursor = s.startAt;
  progress('baseline: plain loop over the same activities');
  try {
    while (cursor < target) {
      const window = nextWindow(cursor, Date.now(), { maxSizeMs: s.backfillWindowMs, minSizeMs: 1, lagMs: s.lagMs });
      if (!window) break;
      const day = utcDay(Date.now());
      await processWindow(acts, retrying, config, window, day, { pagesDone: 0 }, (page) => {
        conversations += page.counts.fromSource;
        items += page.counts.imported + page.counts.partial;
      });
      cursor = window.to;
    }
  } finally {
    clearInterval(sampler);
  }
  return {
    conversations,
    items,
    seconds: (Date.now() - t0) / 1000,
    peakRssMb: peak / 2 ** 20,
    activitySeconds,
    cpuSeconds: cpu.read(),
    graph: await graphStats(stack.graph),
  };
}
