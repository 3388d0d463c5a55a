import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { activityLogContext, activityWindow, type ActivityLogContext } from './activity-context';
import type { LpMetrics } from './metrics';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Days a completeness check found complete and incomplete. */
function provenDays(result: Record<string, unknown>): { complete: number; incomplete: number } {
  const days = Array.isArray(result.days) ? result.days.filter(isRecord) : [];
  const incomplete = days.filter((d) => d.status === 'incomplete').length;
  return { complete: days.length - incomplete, incomplete };
}

/** Counts only: what an activity's result may add to a log line (no blob names, no failure rows). */
function resultSummary(activityType: string, result: unknown): Record<string, number> {
  if (!isRecord(result)) return {};
  switch (activityType) {
    case 'fetchPage':
      return { kept: num(result.kept), totalCount: num(result.totalCount) };
    case 'preparePage':
      return { kept: num(result.kept), totalCount: num(result.totalCount), items: num(result.items), targets: num(result.targets) };
    case 'importPage': {
      const c = isRecord(result.counts) ? result.counts : {};
      return { imported: num(c.imported), partial: num(c.partial), skippedDuplicate: num(c.skippedDuplicate), failed: num(c.failed) };
    }
    case 'proveDays':
      return provenDays(result);
    case 'completeWindow':
      return { items: num(result.items) };
    default:
      return {};
  }
}

/**
 * Records the connector's metrics from what each activity returns, so no activity has to know about
 * metrics: `fetchPage` and `preparePage` → conversations fetched (and the lag when a window starts, or ends when it is empty), `importPage` → items by
 * result, `completeWindow` → the lag once the cursor has moved. Also adds connector, window and page to
 * every log line of the activity (the SDK adds activity type, attempt, workflow id), and logs one line per
 * finished page.
 *
 * @param metrics where the counts go
 * @param now clock for the lag (tests)
 */
export function lpActivityInterceptors(metrics: LpMetrics, now: () => number = Date.now): ActivityInterceptorsFactory {
  return (ctx: Context) => {
    let logContext: ActivityLogContext = {};
    return {
      inbound: {
        async execute(input, next) {
          logContext = activityLogContext(input.args);
          const started = now();
          const result = await next(input);
          const activityType = ctx.info.activityType;
          record(metrics, activityType, input.args, result, now());
          const summary = resultSummary(activityType, result);
          const durationMs = now() - started;
          if (activityType === 'importPage' || activityType === 'completeWindow')
            ctx.log.info(`${activityType} done`, { durationMs, ...summary });
          else ctx.log.debug(`${activityType} done`, { durationMs, ...summary });
          return result;
        },
      },
      outbound: {
        getLogAttributes(input, next) {
          return { ...next(input), ...logContext };
        },
      },
    };
  };
}

/** The metric side of {@link lpActivityInterceptors}, for one successful activity (exported for tests). */
export function record(metrics: LpMetrics, activityType: string, args: readonly unknown[], result: unknown, nowMs: number): void {
  const connector = activityLogContext(args).connector;
  if (connector === undefined || !isRecord(result)) return;
  const window = activityWindow(args);
  switch (activityType) {
    // preparePage fetches the batch first (and returns what fetchPage did): the same metrics.
    case 'preparePage':
    case 'fetchPage': {
      metrics.conversationsFetched(connector, num(result.kept));
      // Page 0 starts every window, whose start is the connector's cursor. An empty window is done at once
      // (no completeWindow follows): the cursor moves to its end.
      const page = activityLogContext(args).page;
      if (page === 0 && window) metrics.lag(connector, (nowMs - (num(result.totalCount) === 0 ? window.to : window.from)) / 1000);
      break;
    }
    case 'importPage': {
      const c = isRecord(result.counts) ? result.counts : {};
      metrics.itemsImported(connector, {
        imported: num(c.imported),
        partial: num(c.partial),
        skippedDuplicate: num(c.skippedDuplicate),
        failed: num(c.failed),
      });
      break;
    }
    case 'followLive': {
      // The live follower ran its windows in-process: their counts, and how far it got, arrive with its result.
      const windows = Array.isArray(result.windows) ? result.windows.filter(isRecord) : [];
      for (const batch of windows.flatMap((w) => (Array.isArray(w.batches) ? w.batches.filter(isRecord) : []))) {
        const c = isRecord(batch.counts) ? batch.counts : {};
        metrics.conversationsFetched(connector, num(c.fromSource));
        metrics.itemsImported(connector, {
          imported: num(c.imported),
          partial: num(c.partial),
          skippedDuplicate: num(c.skippedDuplicate),
          failed: num(c.failed),
        });
      }
      const ends = [
        ...windows.map((w) => (isRecord(w.window) ? num(w.window.to) : 0)),
        ...(Array.isArray(result.emptyUntil) ? result.emptyUntil.filter(isRecord).map((e) => num(e.to)) : []),
      ].filter((t) => t > 0);
      if (ends.length > 0) metrics.lag(connector, (nowMs - Math.max(...ends)) / 1000);
      break;
    }
    case 'proveDays': {
      const { complete, incomplete } = provenDays(result);
      metrics.daysChecked(connector, complete, incomplete);
      break;
    }
    case 'completeWindow':
      // The workflow moves its cursor to the window's end right after this.
      if (window) metrics.lag(connector, (nowMs - window.to) / 1000);
      // The proof's series exist (at 0) from the first window on, before any day has closed: the alert's increase() sees them.
      metrics.daysChecked(connector, 0, 0);
      break;
    default:
      break;
  }
}
