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

/** Decoded results of the completed activities of a given type in these events, in completion order. */
export function activityResults<T>(events: readonly HistoryEvent[], activityType: string): T[] {
  const ofType = new Set(
    events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType).map((e) => String(e.eventId)),
  );
  return events.flatMap((e) => {
    const c = e.activityTaskCompletedEventAttributes;
    if (!c || !ofType.has(String(c.scheduledEventId))) return [];
    const data = c.result?.payloads?.[0]?.data;
    return data ? [JSON.parse(Buffer.from(data).toString('utf8')) as T] : [];
  });
}

/** The whole history as text with every payload decoded, to search it for what must not be there. */
export function decodedHistoryText(events: readonly HistoryEvent[]): string {
  return historyText(events, undefined);
}

/**
 * The history as text with the data of every payload in `encoding` left out: what is readable beside the
 * ciphertext. Random ciphertext bytes read as UTF-8 can spell anything (once `v@i.Lf`), so a pattern search
 * belongs on this text, and an exact search for known strings on the whole one.
 */
export function historyTextBesidePayloads(events: readonly HistoryEvent[], encoding: string): string {
  return historyText(events, encoding);
}

function historyText(events: readonly HistoryEvent[], skipEncoding: string | undefined): string {
  const skip = (v: unknown): boolean => {
    if (!skipEncoding || !v || typeof v !== 'object') return false;
    const meta = (v as { metadata?: Record<string, unknown> }).metadata;
    const enc = meta?.encoding; // bytes, or base64 once a protobuf message has turned itself into JSON
    const text =
      enc instanceof Uint8Array
        ? Buffer.from(enc).toString('utf8')
        : typeof enc === 'string'
          ? Buffer.from(enc, 'base64').toString('utf8')
          : undefined;
    return text === skipEncoding && 'data' in v;
  };
  return JSON.stringify(events, (key, v: unknown) => {
    if (skip(v)) return { ...(v as object), data: null }; // left out
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return Buffer.from((v as { data: number[] }).data).toString('utf8');
    }
    if (key === 'data' && typeof v === 'string') return Buffer.from(v, 'base64').toString('utf8');
    return v;
  });
}
