import { connectorFolder, errorKind, manifestBlobName, rawPageBlobName, scopedWindowLabel, sourceOf, workBlobName } from '../model';
import type { RoutedBatchFile } from '../pipeline/batch-files';
import { buildManifest, type WindowManifest } from '../pipeline/manifest';
import { heartbeat } from '../runtime/heartbeat';
import type { CompleteWindowInput, CompleteWindowResult } from './contracts';
import type { ActivityDeps } from './ports';

/**
 * After every batch of a window is imported: write the window's chain-of-custody manifest (each sealed
 * item with its hash and the mailboxes it went to), then delete the window's raw batches and working files.
 */
export function makeCompleteWindow(deps: ActivityDeps) {
  return async function completeWindow(input: CompleteWindowInput): Promise<CompleteWindowResult> {
    const { config, window, pages } = input;
    const label = scopedWindowLabel(window, input.scope);
    const source = sourceOf(input);
    const manifest = manifestBlobName(config.name, label, source);
    // A retry after the manifest was written (and working blobs deleted) reuses it instead of rebuilding.
    let doc = await existingManifest(deps, manifest);
    if (!doc) {
      const batches: RoutedBatchFile[] = [];
      for (const batch of pages) {
        heartbeat();
        batches.push(await deps.staging.getJson<RoutedBatchFile>('work', workBlobName(config.name, label, batch, 'routed', source)));
      }
      doc = buildManifest(
        { connector: config.name, accountId: config.liveperson.accountId, ...(source === 'chat' ? { source } : {}) },
        window,
        batches,
        new Date(),
      );
      await deps.staging.putJson('manifests', manifest, doc);
    }
    for (const batch of pages) {
      await deps.staging.delete('raw', rawPageBlobName(config.name, label, batch, source));
    }
    for (const name of await deps.staging.list('work', `${connectorFolder(config.name, source)}/${label}/`)) {
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
