import type { Client } from '@temporalio/client';

/** Billable Temporal Cloud actions (temporal-notes §5), counted from histories plus what history does not hold. */
export interface ActionCounts {
  /** WorkflowExecutionStarted: the first start and every continue-as-new. */
  workflowStarts: number;
  /** Sum of ActivityTaskStarted.attempt: every attempt, retries included (history keeps only the last one). */
  activityAttempts: number;
  /** RecordActivityTaskHeartbeat calls that reached the server (dev server metrics; not in history). */
  heartbeats: number;
  /** TimerStarted, including the implicit timer of `condition(fn, timeout)`. */
  timers: number;
  signals: number;
  /** Queries the bench itself sent (not in history). */
  queries: number;
  /** Accepted updates (history); rejected ones are not in history and the bench sends none. */
  updates: number;
  upsertSearchAttributes: number;
  /** Runs found (for the note). */
  runs: number;
}

export const zeroActions = (): ActionCounts => ({
  workflowStarts: 0,
  activityAttempts: 0,
  heartbeats: 0,
  timers: 0,
  signals: 0,
  queries: 0,
  updates: 0,
  upsertSearchAttributes: 0,
  runs: 0,
});

export function totalActions(a: ActionCounts): number {
  return a.workflowStarts + a.activityAttempts + a.heartbeats + a.timers + a.signals + a.queries + a.updates + a.upsertSearchAttributes;
}

export function addActions(into: ActionCounts, a: ActionCounts): ActionCounts {
  for (const k of Object.keys(into) as (keyof ActionCounts)[]) into[k] += a[k];
  return into;
}

/** Per activity type: attempts (for "where the actions go"). */
export type ActivityBreakdown = Map<string, number>;

/** One activity of a history: when it was scheduled, handed to a worker (last attempt) and closed, ms since epoch. */
export interface ActivitySpan {
  readonly type: string;
  readonly scheduled: number;
  readonly started: number;
  readonly closed: number;
}

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : NaN;

/**
 * Counts the history-visible actions of every run of `workflowId` (continue-as-new included: visibility lists
 * each run under the same workflow id).
 */
export async function countHistoryActions(
  client: Client,
  workflowId: string,
  byActivity?: ActivityBreakdown,
  spans?: ActivitySpan[],
): Promise<ActionCounts> {
  const a = zeroActions();
  const escaped = workflowId.replace(/'/g, "\\'");
  for await (const run of client.workflow.list({ query: `WorkflowId = '${escaped}'` })) {
    a.runs++;
    const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    const scheduledType = new Map<string, string>();
    const open = new Map<string, { type: string; scheduled: number; started?: number }>();
    for (const e of history.events ?? []) {
      const closedOf =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes ??
        e.activityTaskCanceledEventAttributes;
      if (spans && closedOf?.scheduledEventId != null) {
        const o = open.get(String(closedOf.scheduledEventId));
        if (o) spans.push({ type: o.type, scheduled: o.scheduled, started: o.started ?? NaN, closed: ms(e.eventTime) });
      }
      if (e.workflowExecutionStartedEventAttributes) a.workflowStarts++;
      else if (e.activityTaskScheduledEventAttributes) {
        const type = e.activityTaskScheduledEventAttributes.activityType?.name ?? '?';
        scheduledType.set(String(e.eventId), type);
        open.set(String(e.eventId), { type, scheduled: ms(e.eventTime) });
      } else if (e.activityTaskStartedEventAttributes) {
        const o = open.get(String(e.activityTaskStartedEventAttributes.scheduledEventId));
        if (o) o.started = ms(e.eventTime);
        const attempts = e.activityTaskStartedEventAttributes.attempt ?? 1;
        a.activityAttempts += attempts;
        if (byActivity) {
          const type = scheduledType.get(String(e.activityTaskStartedEventAttributes.scheduledEventId)) ?? '?';
          byActivity.set(type, (byActivity.get(type) ?? 0) + attempts);
        }
      } else if (e.timerStartedEventAttributes) a.timers++;
      else if (e.workflowExecutionSignaledEventAttributes) a.signals++;
      else if (e.workflowExecutionUpdateAcceptedEventAttributes) a.updates++;
      else if (e.upsertWorkflowSearchAttributesEventAttributes) a.upsertSearchAttributes++;
    }
  }
  return a;
}

/** Sum of `service_requests{operation="<op>"}` over all label sets, from the dev server's Prometheus text. */
export async function serverRequests(metricsUrl: string, operation: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('service_requests{') || !line.includes(`operation="${operation}"`)) continue;
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(v)) sum += v;
  }
  return sum;
}
