import { errorKind } from '../model';
import { manifestBlobName, rawPageBlobName, scopedWindowLabel, workBlobName } from '../model';
import type { CompleteWindowInput, CompleteWindowResult } from './contracts';
import type { ActivityDeps } from './ports';
import { heartbeat } from '../runtime/heartbeat';
import type { RoutedPageFile } from './page-files';

export interface WindowManifest {
  readonly connector: string;
  readonly accountId: string;
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

/**
 * After every page of a window is imported: write the window's chain-of-custody manifest (each sealed
 * item with its hash and the mailboxes it went to), then delete the window's raw pages and working files.
 */
export function makeCompleteWindow(deps: ActivityDeps) {
  return async function completeWindow(input: CompleteWindowInput): Promise<CompleteWindowResult> {
    const { config, window, pages } = input;
    const label = scopedWindowLabel(window, input.scope);
    const manifest = manifestBlobName(config.name, label);
    // A retry after the manifest was written (and working blobs deleted) reuses it instead of rebuilding.
    let doc = await existingManifest(deps, manifest);
    if (!doc) {
      const items: WindowManifest['items'][number][] = [];
      const failed: { conversationId: string; version: string }[] = [];
      for (const page of pages) {
        heartbeat();
        const routed = await deps.staging.getJson<RoutedPageFile>('work', workBlobName(config.name, label, page, 'routed'));
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
      doc = {
        connector: config.name,
        accountId: config.liveperson.accountId,
        window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
        completedAt: new Date().toISOString(),
        items,
        failures: failed.length,
        failed,
      };
      await deps.staging.putJson('manifests', manifest, doc);
    }
    for (const page of pages) {
      await deps.staging.delete('raw', rawPageBlobName(config.name, label, page));
    }
    for (const name of await deps.staging.list('work', `${config.name}/${label}/`)) {
      heartbeat();
      await deps.staging.delete('work', name);
    }
    return { manifest, items: doc.items.length };
  };
}

async function existingManifest(deps: ActivityDeps, name: string): Promise<WindowManifest | undefined> {
  try {
    return await deps.staging.getJson<WindowManifest>('manifests', name);
  } catch (err) {
    if (errorKind(err) === 'not-found') return undefined;
    throw err;
  }
}
