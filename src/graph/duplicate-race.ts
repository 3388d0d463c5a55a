/**
 * Graph has no conditional create: two attempts of one import (the first cut off from Temporal but still
 * reaching Graph, the second started elsewhere after the heartbeat timeout) can both create the same item.
 * After a create, every attempt looks the import key up again and, when more than one item carries it, keeps
 * the same one by a rule every racer applies alike (the oldest by createdDateTime, then the smallest id) and
 * deletes the others.
 */

/** An item found by its import key. */
export interface KeyedItem {
  readonly id: string;
  readonly createdDateTime: string;
}

/** What settling needs of the mailbox. */
export interface RaceDirectory {
  listByImportKey(userId: string, folderId: string, key: string): Promise<KeyedItem[]>;
  /** Deletes an item; one already gone (another racer deleted it) is not an error. */
  deleteMessage(userId: string, messageId: string): Promise<void>;
}

/** The item every racer keeps: the oldest, ties broken by id. */
export function keeperOf(items: readonly KeyedItem[]): KeyedItem | undefined {
  return [...items].sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime) || a.id.localeCompare(b.id))[0];
}

export interface Settled {
  /** The item that stays (ours, or the other racer's). */
  readonly kept: string;
  /** Duplicates this attempt deleted. */
  readonly removed: readonly string[];
}

/** Leaves one item with `key` in the folder; `created` is the id this attempt created (kept if it is alone). */
export async function settleDuplicates(
  dir: RaceDirectory,
  userId: string,
  folderId: string,
  key: string,
  created: string,
): Promise<Settled> {
  const items = await dir.listByImportKey(userId, folderId, key);
  const keeper = keeperOf(items);
  if (!keeper || items.length === 1) return { kept: keeper?.id ?? created, removed: [] };
  const removed: string[] = [];
  for (const item of items) {
    if (item.id === keeper.id) continue;
    await dir.deleteMessage(userId, item.id);
    removed.push(item.id);
  }
  return { kept: keeper.id, removed };
}
