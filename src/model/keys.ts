/**
 * Deterministic keys: the basis of exactly-once. Every side effect is named by one of these, so a retried
 * activity finds (and does not repeat) what an earlier attempt did.
 */

/** The value of the named extended property stamped on every mailbox item we create. */
export function importKey(connector: string, conversationId: string, version: string): string {
  return `lp-archive:${connector}:${conversationId}:${version}`;
}

/** Archive item name: one per conversation version, written once. */
export function itemBlobName(accountId: string, conversationId: string, version: string): string {
  return `${safeSegment(accountId)}/${safeSegment(conversationId)}/${safeSegment(version)}.eml`;
}

/** Raw page name: overwritten on retry, deleted once the window is done. */
export function rawPageBlobName(connector: string, windowLabel: string, page: number): string {
  return `${safeSegment(connector)}/${windowLabel}/page-${String(page).padStart(5, '0')}.json`;
}

/** Working files between activities for one page (`converted`, `routed`, ...). */
export function workBlobName(connector: string, windowLabel: string, page: number, stage: string): string {
  return `${safeSegment(connector)}/${windowLabel}/page-${String(page).padStart(5, '0')}.${safeSegment(stage)}.json`;
}

/** Chain-of-custody manifest of one window. */
export function manifestBlobName(connector: string, windowLabel: string): string {
  return `${safeSegment(connector)}/${windowLabel}.json`;
}

/** Log rows of one page, for one UTC day: overwritten on retry, so the day's log never repeats a row. */
export function logPartBlobName(connector: string, day: string, windowLabel: string, page: number): string {
  return `${safeSegment(connector)}/${day}/${windowLabel}-page-${String(page).padStart(5, '0')}.csv`;
}

/** Restricts a name segment to a safe alphabet so no input can traverse or break a blob path. */
export function safeSegment(s: string): string {
  const cleaned = s
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/^\./, '_');
  return cleaned.length > 0 ? cleaned.slice(0, 200) : '_';
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
