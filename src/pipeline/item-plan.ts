/**
 * What a fetched record becomes: a normalised conversation and its archive item within the size limit, or a
 * failure with its reason. No I/O: hosted files are downloaded by the caller and handed in.
 */
import { conversationToEml, type ConvertedItem as EmlItem } from '../convert/to-eml';
import type { HostedFilesOutcome } from '../liveperson/hosted-files';
import type { NormalizeContext } from '../liveperson/normalize';
import { SOURCE_RECORD_RULES } from '../liveperson/record-rules';
import type { Conversation, ConversationSource, DownloadedFile } from '../model';
import type { BatchFailure, RoutingParticipant } from './batch-files';
import { rawConversationId } from './window-filter';

export interface ItemRules {
  readonly normalize: NormalizeContext;
  /** limits.maxItemBytes */
  readonly maxItemBytes: number;
  /** The product the record came from (default messaging): how it is read and normalised. */
  readonly source?: ConversationSource;
}

/** A record that became a conversation with its item (transcript and source record, no files yet). */
export interface PlannedItem {
  readonly conv: Conversation;
  readonly base: EmlItem;
}

/** The record, normalised and converted, or the failure row it becomes (never dropped). */
export function planItem(record: unknown, rules: ItemRules): PlannedItem | { readonly failure: BatchFailure } {
  const source = rules.source ?? 'messaging';
  const itemId = rawConversationId(record, source) || 'unknown-conversation';
  let conv: Conversation;
  try {
    conv = SOURCE_RECORD_RULES[source].normalize(record, rules.normalize);
  } catch (err) {
    return { failure: { itemId, version: '-', sourceUser: '-', reason: `malformed conversation: ${(err as Error).message}` } };
  }
  const fail = (reason: string) => ({ failure: { itemId, version: conv.version, sourceUser: consumerOf(conv), reason } });
  let base: EmlItem;
  try {
    base = conversationToEml(conv, { sourceRecord: record });
  } catch (err) {
    return fail(`conversion failed: ${(err as Error).message}`);
  }
  if (base.size > rules.maxItemBytes) return fail(tooLarge(base.size, rules.maxItemBytes));
  return { conv, base };
}

/** The failure row of a planned conversation (e.g. a duplicate record, an item over the limit with its files). */
export function itemFailure(conv: Conversation, reason: string): BatchFailure {
  return { itemId: conv.conversationId, version: conv.version, sourceUser: consumerOf(conv), reason };
}

function consumerOf(conv: Conversation): string {
  return conv.participants.find((p) => p.kind === 'consumer')?.id ?? '-';
}

function tooLarge(size: number, max: number): string {
  return `item is ${size} bytes, over limits.maxItemBytes (${max})`;
}

/**
 * Raw bytes of hosted files an item can take: what is left under the limit after the item without files,
 * less MIME headers per file, shrunk by base64 in 76-character lines (57 bytes become 78).
 */
export function fileBudget(maxItemBytes: number, baseSize: number, fileCount: number): number {
  return Math.floor((Math.max(0, maxItemBytes - baseSize - 2048 * fileCount) * 57) / 78);
}

/**
 * The item with its files and the reasons for the ones left out. Should it still come out over the limit,
 * the last files are left out (with a reason each) until it fits: a file is given up before the conversation.
 */
function withFiles(
  conv: Conversation,
  record: unknown,
  files: readonly DownloadedFile[],
  reasons: readonly string[],
  maxItemBytes: number,
): PlannedItem {
  const kept = [...files];
  const why = [...reasons];
  for (;;) {
    const partial: Conversation = why.length === 0 ? conv : { ...conv, partialReasons: [...conv.partialReasons, ...why] };
    const eml = conversationToEml(partial, { files: kept, sourceRecord: record });
    const last = kept.at(-1);
    if (eml.size <= maxItemBytes || last === undefined) return { conv: partial, base: eml };
    kept.pop();
    why.push(`hosted file ${last.relativePath} was left out: with it the item would be over limits.maxItemBytes (${maxItemBytes} bytes)`);
  }
}

/** The item with the files that were downloaded (and the reasons for those that were not), or why it cannot be one. */
export function itemWithFiles(planned: PlannedItem, record: unknown, got: HostedFilesOutcome, maxItemBytes: number): PlannedItem | string {
  let item: PlannedItem;
  try {
    item = withFiles(planned.conv, record, got.files, got.partialReasons, maxItemBytes);
  } catch (err) {
    return `conversion failed: ${(err as Error).message}`;
  }
  return item.base.size > maxItemBytes ? tooLarge(item.base.size, maxItemBytes) : item;
}

/** The participants as routing needs them (no message content). */
export function routingParticipants(conv: Conversation): RoutingParticipant[] {
  return conv.participants.map((p) => ({
    id: p.id,
    kind: p.kind,
    ...(p.loginName ? { loginName: p.loginName } : {}),
    ...(p.email ? { email: p.email } : {}),
    routable: p.routable,
  }));
}
