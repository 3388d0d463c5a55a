import type { ConversationSource } from './conversation';

/**
 * Deterministic keys: the basis of exactly-once. Every side effect is named by one of these, so a retried
 * activity finds (and does not repeat) what an earlier attempt did.
 *
 * Two sources share a connector: messaging conversations and legacy chats (engagement ids). Their ids are
 * unique only within their source, so every name of a chat carries a marker that no messaging name can
 * have: a different import-key prefix, an extra `chat/` segment in item names, its own connector folder
 * `chat~<connector>` for window blobs and manifests (`~` never survives `safeSegment`, so no connector's
 * folder is named so; and every reader of `<connector>/<window>…` names reads it unchanged), and a `chat-`
 * prefix for log parts, which share the connector's day folder so that the day's log joins both sources.
 * Messaging names stay exactly as they always were: existing mailboxes and containers hold them.
 */

/** The value of the named extended property stamped on every mailbox item we create. */
export function importKey(connector: string, conversationId: string, version: string, source: ConversationSource = 'messaging'): string {
  // `lp-archive-chat:` differs from `lp-archive:` before any input, so no id or connector name can make them meet.
  return `${source === 'chat' ? 'lp-archive-chat' : 'lp-archive'}:${connector}:${conversationId}:${version}`;
}

/** Archive item name: one per conversation version, written once. */
export function itemBlobName(accountId: string, conversationId: string, version: string, source: ConversationSource = 'messaging'): string {
  // Messaging names have three segments, chat names four (`<account>/chat/<engagement>/<version>.eml`).
  // Still under `<account>/`, where retention looks for an account's items.
  return `${safeSegment(accountId)}/${source === 'chat' ? 'chat/' : ''}${safeSegment(conversationId)}/${safeSegment(version)}.eml`;
}

/** Raw page name: overwritten on retry, deleted once the window is done. */
export function rawPageBlobName(connector: string, windowLabel: string, page: number, source: ConversationSource = 'messaging'): string {
  return `${connectorFolder(connector, source)}/${windowLabel}/page-${String(page).padStart(5, '0')}.json`;
}

/** Working files between activities for one page (`converted`, `routed`, ...). */
export function workBlobName(
  connector: string,
  windowLabel: string,
  page: number,
  stage: string,
  source: ConversationSource = 'messaging',
): string {
  return `${connectorFolder(connector, source)}/${windowLabel}/page-${String(page).padStart(5, '0')}.${safeSegment(stage)}.json`;
}

/** Chain-of-custody manifest of one window. */
export function manifestBlobName(connector: string, windowLabel: string, source: ConversationSource = 'messaging'): string {
  return `${connectorFolder(connector, source)}/${windowLabel}.json`;
}

/** Log rows of one page, for one UTC day: overwritten on retry, so the day's log never repeats a row. */
export function logPartBlobName(
  connector: string,
  day: string,
  windowLabel: string,
  page: number,
  source: ConversationSource = 'messaging',
): string {
  // Same day folder for both sources (the day's log joins them); a window label starts with a digit, never `chat-`.
  const prefix = source === 'chat' ? 'chat-' : '';
  return `${safeSegment(connector)}/${day}/${prefix}${windowLabel}-page-${String(page).padStart(5, '0')}.csv`;
}

/** The folder of a connector's window blobs and manifests: `<connector>` for messaging, `chat~<connector>` for chats. */
export function connectorFolder(connector: string, source: ConversationSource = 'messaging'): string {
  return source === 'chat' ? `chat~${safeSegment(connector)}` : safeSegment(connector);
}

/** Restricts a name segment to a safe alphabet so no input can traverse or break a blob path. */
export function safeSegment(s: string): string {
  const cleaned = s
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/^\./, '_');
  return cleaned.length > 0 ? cleaned.slice(0, 200) : '_';
}

/** The task queue of the live watches (watchClosed), beside the connectors' own: its own slots (see connector-worker). */
export function watchTaskQueue(taskQueue: string): string {
  return `${taskQueue}-watch`;
}

/** Workflow id of a connector, from its unique name. */
export function connectorWorkflowId(connectorName: string): string {
  return `lp-archive-connector-${connectorName}`;
}

/**
 * Id of a connector's retention-cleanup Schedule, and the workflow id its runs start with (the schedule appends the
 * scheduled time to it).
 */
export function cleanupScheduleId(connectorName: string): string {
  return `lp-archive-cleanup-${connectorName}`;
}

/**
 * The completeness proof of one UTC day (container `logs`): beside the day's folder of log parts, never inside
 * it, so readers of the parts (and older CLIs) never see it.
 */
export function completenessBlobName(connector: string, day: string): string {
  return `${safeSegment(connector)}/${day}.completeness.json`;
}
