import { errorKind } from '../model';
import type { WindowManifest } from './complete-window';
import type { ActivityDeps } from './ports';
import { heartbeat } from '../runtime/heartbeat';

/** Conversation versions a connector already archived or logged, from the manifests of its windows. */
export interface SeenConversations {
  has(conversationId: string, version: string): boolean;
  readonly size: number;
}

/**
 * Reads the given window manifests (a window without a manifest had nothing in it) into one set. A failure
 * logged without a version (the record could not be read) marks every version of that conversation as seen,
 * so a sweep does not log the same broken record again and again.
 */
export async function seenInManifests(deps: ActivityDeps, manifests: readonly string[]): Promise<SeenConversations> {
  const versions = new Set<string>();
  const anyVersion = new Set<string>();
  for (const name of manifests) {
    heartbeat();
    let doc: WindowManifest;
    try {
      doc = await deps.staging.getJson<WindowManifest>('manifests', name);
    } catch (err) {
      if (errorKind(err) === 'not-found') continue;
      throw err;
    }
    for (const it of doc.items) versions.add(key(it.conversationId, it.version));
    for (const f of doc.failed ?? []) {
      if (f.version === '-') anyVersion.add(f.conversationId);
      else versions.add(key(f.conversationId, f.version));
    }
  }
  return {
    has: (conversationId, version) => anyVersion.has(conversationId) || versions.has(key(conversationId, version)),
    size: versions.size + anyVersion.size,
  };
}

function key(conversationId: string, version: string): string {
  return `${conversationId}\u0000${version}`;
}
