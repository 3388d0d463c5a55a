import { formatDuration, type ConnectorStatus } from '../../src/model';
import { mailboxItems, type MailboxItem } from '../lib/emulator-truth';

/** What the Graph emulator's mailboxes hold in the connector's folder, by its inspection endpoint. */
export interface MailboxSummary {
  /** Items in folders named like the connector's folder, in all mailboxes. */
  readonly folderItems: number;
  /** Those carrying this connector's import key. */
  readonly ours: readonly MailboxItem[];
  /** (mailbox, import key) pairs present more than once: must stay 0. */
  readonly duplicatePairs: number;
  /** Mailboxes holding at least one of our items. */
  readonly mailboxes: number;
}

/** Reads `GET <graph>/_emulator/mailboxes` and counts the connector's items and duplicate (mailbox, key) pairs. */
export async function mailboxSummary(graphUrl: string, folderName: string, connector: string): Promise<MailboxSummary> {
  const items = await mailboxItems(graphUrl, folderName);
  const ours = items.filter((i) => i.importKey !== undefined && conversationOfKey(i.importKey, connector) !== undefined);
  const seen = new Map<string, number>();
  for (const i of ours) {
    const pair = `${i.userId}\n${i.importKey ?? ''}`;
    seen.set(pair, (seen.get(pair) ?? 0) + 1);
  }
  return {
    folderItems: items.length,
    ours,
    duplicatePairs: [...seen.values()].filter((n) => n > 1).length,
    mailboxes: new Set(ours.map((i) => i.userId)).size,
  };
}

/**
 * The conversation id inside one of our import keys (`lp-archive:<connector>:<conversation>:<version>`); a legacy
 * chat's (`lp-archive-chat:…`) comes back as `chat/<engagement id>`, so the two sources never meet.
 */
export function conversationOfKey(key: string, connector: string): string | undefined {
  const chat = key.startsWith(`lp-archive-chat:${connector}:`);
  const prefix = chat ? `lp-archive-chat:${connector}:` : `lp-archive:${connector}:`;
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  const cut = rest.lastIndexOf(':');
  return cut > 0 ? `${chat ? 'chat/' : ''}${rest.slice(0, cut)}` : undefined;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** One progress line: the connector log (status query) next to what the mailboxes hold. */
export function progressLine(status: ConnectorStatus | string, mail: MailboxSummary | string, elapsedMs: number): string {
  const head = `${clock(Date.now())} +${formatElapsed(elapsedMs)}`;
  let left: string;
  if (typeof status === 'string') left = `status: ${status}`;
  else {
    const t = status.totals;
    const win = status.currentWindow
      ? ` · window ${status.windowsDone + 1} page ${status.currentWindow.page}/${status.currentWindow.pages ?? '?'}`
      : '';
    left =
      `${status.state} · cursor ${status.cursor.slice(0, 16)}Z (${formatElapsed(status.lagSeconds * 1000)} behind)${win} · ` +
      `${t.fromSource} conversations · ${t.imported} imported · ${t.partial} partial · ${t.skippedDuplicate} duplicates · ${t.failed} failed` +
      (status.lastError ? ` · last error: ${status.lastError}` : '');
  }
  const right =
    typeof mail === 'string'
      ? `mailboxes: ${mail}`
      : `mailboxes: ${mail.folderItems} items in ${mail.mailboxes} folders, ${mail.duplicatePairs} duplicate keys`;
  return `${head}  ${left} | ${right}`;
}

/** Short elapsed time: `45s`, `3m12s`, `2h05m`, `3d`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 2 * 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return formatDuration(Math.round(s / 86_400) * 86_400_000);
}
