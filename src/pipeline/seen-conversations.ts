import type { WindowManifest } from './manifest';

/** Conversation versions a connector already archived or logged, from the manifests of its windows. */
export interface SeenConversations {
  has(conversationId: string, version: string): boolean;
  readonly size: number;
}

/**
 * The versions the given window manifests list. A failure logged without a version (the record could not be
 * read) marks every version of that conversation as seen, so a sweep does not log the same broken record
 * again and again.
 */
export function seenInManifests(manifests: Iterable<WindowManifest>): SeenConversations {
  const versions = new Set<string>();
  const anyVersion = new Set<string>();
  for (const doc of manifests) {
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
