/**
 * Which fetched records a window keeps. LivePerson is queried over a covering range (10-minute rounding, a
 * start range reaching back); the window keeps exactly the records whose end time lies in it.
 */
import { isObject, timeOf } from '../liveperson/normalize/lenient';
import { SOURCE_RECORD_RULES } from '../liveperson/record-rules';
import { inWindow, type ConversationSource, type TimeWindow } from '../model';
import type { SeenConversations } from './seen-conversations';

/**
 * End time of a raw record, leniently (`endTimeL`, else the `endTime` string): undefined when LivePerson gave
 * no usable one. Such a record is kept (and logged as failed by convert) rather than lost; if two adjacent
 * windows both receive it, it is logged in both.
 */
export function rawEndTime(record: unknown): number | undefined {
  const info = (record as { info?: unknown } | null)?.info;
  return isObject(info) ? timeOf(info, 'endTime') : undefined;
}

/** Conversation id of a raw record (a chat's engagement id), leniently: empty when LivePerson gave none. */
export function rawConversationId(record: unknown, source: ConversationSource = 'messaging'): string {
  return SOURCE_RECORD_RULES[source].recordId(record);
}

/** The records a window keeps: end time in the window, or no readable end time (convert logs those). */
export function recordsInWindow(records: readonly unknown[], window: TimeWindow): unknown[] {
  return records.filter((r) => {
    const end = rawEndTime(r);
    return end === undefined || inWindow(window, end);
  });
}

/**
 * A late-arrival sweep keeps only the conversation versions no finished window saw (the version is the end
 * time, as in normalize); a record without an end time belongs to no window and was logged by its own.
 */
export function recordsNotSeen(records: readonly unknown[], seen: SeenConversations, source: ConversationSource = 'messaging'): unknown[] {
  return records.filter((r) => {
    const end = rawEndTime(r);
    return end !== undefined && !seen.has(rawConversationId(r, source), String(end));
  });
}

/** Key of a conversation version for {@link recordsListed}. */
export function versionKey(conversationId: string, version: string): string {
  return `${conversationId}\u0000${version}`;
}

/** A completeness repair keeps only the versions its proof lists as missing (by {@link versionKey}). */
export function recordsListed(records: readonly unknown[], listed: ReadonlySet<string>): unknown[] {
  return records.filter((r) => {
    const end = rawEndTime(r);
    return end !== undefined && listed.has(versionKey(rawConversationId(r), String(end)));
  });
}
