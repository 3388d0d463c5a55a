import type { ConversationSource, TimeWindow } from '../model';
import type { RoutedBatchFile } from './batch-files';

/** The chain-of-custody record of one window (container `manifests`). */
export interface WindowManifest {
  readonly connector: string;
  readonly accountId: string;
  /** `chat` for a legacy chat window; absent for messaging. */
  readonly source?: ConversationSource;
  readonly window: { readonly from: string; readonly to: string };
  readonly completedAt: string;
  readonly items: readonly {
    readonly conversationId: string;
    readonly version: string;
    readonly blob: string;
    readonly sha256: string;
    readonly size: number;
    readonly mailboxes: readonly string[];
  }[];
  readonly failures: number;
  /**
   * The conversation versions of the window that were logged as failed (version `-` when the record could
   * not be read), so a late-arrival sweep knows they were seen. Absent in manifests written before it existed.
   */
  readonly failed?: readonly { readonly conversationId: string; readonly version: string }[];
}

/** The manifest of a window from the routed files of its batches: every sealed item with its hash and mailboxes. */
export function buildManifest(
  ids: { readonly connector: string; readonly accountId: string; readonly source?: ConversationSource },
  window: TimeWindow,
  batches: Iterable<RoutedBatchFile>,
  completedAt: Date,
): WindowManifest {
  const items: WindowManifest['items'][number][] = [];
  const failed: { conversationId: string; version: string }[] = [];
  for (const routed of batches) {
    for (const f of routed.failures) failed.push({ conversationId: f.itemId, version: f.version });
    for (const it of routed.items) {
      items.push({
        conversationId: it.conversationId,
        version: it.version,
        blob: it.itemBlob,
        sha256: it.sha256,
        size: it.size,
        mailboxes: it.targets.map((t) => t.userId),
      });
    }
  }
  return {
    connector: ids.connector,
    accountId: ids.accountId,
    ...(ids.source ? { source: ids.source } : {}),
    window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
    completedAt: completedAt.toISOString(),
    items,
    failures: failed.length,
    failed,
  };
}
