import type { ByteBudget } from '../runtime/byte-budget';
/**
 * What the activities need from the outside world, as narrow ports. The worker builds the real ones
 * (src/activities/build-deps.ts); tests can build them against the emulators.
 */
import type { Readable } from 'node:stream';
import type { ConnectorConfig, ConversationSource } from '../model';
import type { ImportOutcome } from '../graph/client';
import type { ImportMessage, MailboxResolution } from '../graph/types';
import type { HostedFileSource } from '../liveperson/hosted-files';
import type { LivePersonSource, LpUser } from '../liveperson/types';
import type { BlobKind, StagedItem } from '../storage/types';

export interface StagingPort {
  putJson(kind: BlobKind, name: string, value: unknown): Promise<void>;
  getJson<T>(kind: BlobKind, name: string): Promise<T>;
  putJsonLines(kind: BlobKind, name: string, values: Iterable<unknown>): Promise<void>;
  readJsonLines(kind: BlobKind, name: string): AsyncIterable<unknown>;
  putText(kind: BlobKind, name: string, text: string): Promise<void>;
  putMessage(kind: BlobKind, name: string, bytes: Buffer): Promise<void>;
  getText(kind: BlobKind, name: string): Promise<string>;
  delete(kind: BlobKind, name: string): Promise<void>;
  list(kind: BlobKind, prefix: string): Promise<string[]>;
  putItemOnce(name: string, bytes: Buffer, metadata: Record<string, string>): Promise<StagedItem>;
  /** Seals a large item block by block while hashing it (no whole-item buffering). */
  putItemOnceFromStream(name: string, source: Readable, metadata: Record<string, string>): Promise<StagedItem>;
  openBlobStream(kind: BlobKind, name: string): Promise<Readable>;
  verifyItem(name: string): Promise<{ sha256: string; size: number }>;
  /** A sealed item as a stream checked against its seal: the error comes at the end, before 'end'. */
  openItemStream(name: string): Promise<{ stream: Readable; sha256: string; /** As the store announced it. */ size?: number }>;
}

export interface ResolverPort {
  resolve(p: { id: string; loginName?: string; email?: string; routable: boolean }): Promise<MailboxResolution>;
}

export interface MailboxPort {
  ensureImportFolder(userId: string, displayName: string): Promise<string>;
  /**
   * Creates the item (checking by import key before resending a create whose outcome is unknown), then leaves
   * exactly one item with its key: duplicates a concurrent attempt created are deleted.
   */
  createSettled(userId: string, folderId: string, msg: ImportMessage): Promise<ImportOutcome>;
  /** Checks by import key first (completing a half-written item's attachments), else creates as createSettled. */
  importMessage(userId: string, folderId: string, msg: ImportMessage): Promise<ImportOutcome>;
}

export interface ActivityDeps {
  readonly staging: StagingPort;
  /** The connector's messaging source (Messaging Interactions), or its legacy chat source (Engagement History). */
  source(config: ConnectorConfig, source?: ConversationSource): LivePersonSource;
  /** Users API, cached by the implementation for a short while (agent e-mails change rarely). */
  users(config: ConnectorConfig): Promise<ReadonlyMap<string, LpUser>>;
  /** Hosted files of conversations: fresh signed URLs per conversation, and their bytes (bounded by `maxBytes`). */
  files(config: ConnectorConfig): HostedFileSource;
  resolver(config: ConnectorConfig): Promise<ResolverPort>;
  mailbox(config: ConnectorConfig): MailboxPort;
  /** Bytes of items the worker's running conversions, seals and imports may hold at once (none: no limit). */
  readonly itemMemory?: ByteBudget;
  /** Bytes of fetched batches the worker's running fetches may hold at once, apart (none: no limit). */
  readonly batchMemory?: ByteBudget;
  /**
   * The worker's retention (LPA_RETENTION_DAYS; none: nothing is deleted). The completeness proof does not check a
   * day past it: the cleanup may have deleted its manifests, and the proof would take its conversations for missing.
   */
  readonly retentionDays?: number;
  /** The worker's activity slots (none: never counted as busy). See ActivitySlots. */
  readonly slots?: { readonly crowded: boolean };
}
