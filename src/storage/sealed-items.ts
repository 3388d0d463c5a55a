import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { isAlreadyExists, metadataValue, sha256Hex, streamToBuffer, CONTENT_TYPE } from './blob-util';
import { classifyStorageError, type StorageOperation } from './classify';
import { ItemConflictError, ItemSourceError, ItemTamperedError } from './errors';
import type { ItemProtection } from './item-protection';
import { assertBlobName, assertItemMetadata, SHA256_METADATA_KEY } from './names';
import { blockId, fixedBlocks, STREAMING_THRESHOLD_BYTES, verifyingStream, type BlockPool, type ItemSource } from './streaming';
import type { BlobKind, StagedItem } from './types';

/** An archive item as read back, with its integrity verified. */
export interface SealedItem {
  readonly bytes: Buffer;
  /** Verified: the bytes hash to this and it equals the sha256 sealed into the metadata. */
  readonly sha256: string;
  /** The metadata written with the item (keys as the service returns them, i.e. lowercase). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * An archive item being read as a stream. The stream hashes what it delivers and errors with
 * ItemTamperedError after the last chunk if the bytes differ from the seal: consumers must not act on the
 * bytes (import them, forward them, delete anything) before the stream has ended without error.
 */
export interface VerifiedItemStream {
  readonly stream: Readable;
  /** Content length announced by the service. */
  readonly size: number;
  /** The sha256 sealed into the metadata (what the stream is checked against). */
  readonly sha256: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** An item's integrity, checked by streaming it once through sha256 (no buffering). */
export interface VerifiedItem {
  readonly sha256: string;
  readonly size: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What sealing needs of the staging it belongs to. */
export interface SealHost {
  container(kind: BlobKind): ContainerClient;
  op(action: string, kind: BlobKind, blobName?: string): StorageOperation;
  call<T>(what: { action: string; kind: BlobKind; blobName?: string }, fn: () => Promise<T>): Promise<T>;
  readonly protection: ItemProtection;
  /** Block buffers shared by every streaming seal (a few kept for reuse, 4 MiB each). */
  readonly blocks: BlockPool;
}

/**
 * Archive items (container `items`): written once, sealed with the sha256 of their bytes, never overwritten;
 * read back only through a check of that seal. Large items stream: blocks are staged while hashed and
 * committed once; reading verifies while it streams.
 */
export class SealedItems {
  constructor(private readonly host: SealHost) {}

  /**
   * Seals an archive item: writes it only if no blob of that name exists (`If-None-Match: *`, atomic on the
   * service), with the sha256 of the bytes in its metadata. If it exists with the same sha256 (an earlier
   * attempt wrote it) the result is `exists`; with a different sha256 nothing is overwritten. Either way the
   * configured immutability protection is (re)applied, so a retry completes a half-done seal.
   * For items above {@link STREAMING_THRESHOLD_BYTES} prefer {@link putItemOnceFromStream}.
   * @throws ItemConflictError when the name is taken by different bytes; InvalidMetadataError for bad metadata;
   *   ImmutabilityError when the policy / legal hold cannot be set
   */
  async putItemOnce(name: string, bytes: Buffer, metadata: Record<string, string>): Promise<StagedItem> {
    assertBlobName(name);
    assertItemMetadata(metadata);
    const sha256 = sha256Hex(bytes);
    const blob = this.host.container('items').getBlockBlobClient(name);
    try {
      const written = await blob.upload(bytes, bytes.length, {
        conditions: { ifNoneMatch: '*' },
        metadata: { ...metadata, [SHA256_METADATA_KEY]: sha256 },
        blobHTTPHeaders: { blobContentType: CONTENT_TYPE.item },
      });
      await this.host.protection.protect(name, blob, written.lastModified ?? new Date());
      return { name, sha256, size: bytes.length, status: 'created' };
    } catch (err) {
      if (!isAlreadyExists(err)) throw classifyStorageError(err, this.host.op('write an archive item', 'items', name));
    }
    return this.settleExisting(name, blob, sha256);
  }

  /**
   * Seals an archive item from a stream, never holding more than a few blocks of it: the first
   * {@link STREAMING_THRESHOLD_BYTES} are read; if the source ends there, {@link putItemOnce} writes it.
   * Otherwise the item is uploaded as blocks ({@link BLOCK_SIZE_BYTES}) while hashed, and the block list is
   * committed with `If-None-Match: *` and the sha256 in its metadata, so the blob appears whole or not at all.
   * When the item already exists (a retry), the source is only hashed, not uploaded again. Same results and
   * errors as {@link putItemOnce}; blocks of a lost race or a failed source stay uncommitted and Azure
   * discards them.
   * @throws ItemSourceError when the source fails; ItemConflictError; ImmutabilityError
   */
  async putItemOnceFromStream(name: string, source: ItemSource, metadata: Record<string, string>): Promise<StagedItem> {
    assertBlobName(name);
    assertItemMetadata(metadata);
    const pool = this.host.blocks;
    const blocks = fixedBlocks(source, pool)[Symbol.asyncIterator]();
    const next = async (): Promise<Buffer | undefined> => {
      try {
        const r = await blocks.next();
        return r.done ? undefined : r.value;
      } catch (err) {
        throw new ItemSourceError(name, (err as Error).message ?? String(err), { cause: err });
      }
    };

    try {
      return await this.sealBlocks(name, metadata, next, pool);
    } finally {
      // Closes the source when we stop early (a failed upload, a conflict found): no half-read stream left open.
      await blocks.return(undefined).catch(() => undefined);
    }
  }

  private async sealBlocks(
    name: string,
    metadata: Record<string, string>,
    next: () => Promise<Buffer | undefined>,
    pool: BlockPool,
  ): Promise<StagedItem> {
    // Small items take the one-request path; only a source longer than the threshold is streamed.
    const head: Buffer[] = [];
    let headBytes = 0;
    let block: Buffer | undefined;
    while (headBytes <= STREAMING_THRESHOLD_BYTES && (block = await next()) !== undefined) {
      head.push(block);
      headBytes += block.length;
    }
    if (headBytes <= STREAMING_THRESHOLD_BYTES) {
      const whole = Buffer.concat(head, headBytes);
      for (const b of head) pool.release(b);
      return this.putItemOnce(name, whole, metadata);
    }

    const blob = this.host.container('items').getBlockBlobClient(name);
    const hash = createHash('sha256');
    let size = 0;
    const exists = await this.host.call({ action: 'check an archive item', kind: 'items', blobName: name }, () => blob.exists());
    if (exists) {
      // A retry of a sealed item: compare by hash without uploading the bytes again.
      for (let b: Buffer | undefined = head.shift(); b !== undefined; b = head.length > 0 ? head.shift() : await next()) {
        hash.update(b);
        size += b.length;
        pool.release(b);
      }
      return this.settleExisting(name, blob, hash.digest('hex'));
    }

    const uploadId = randomBytes(8).toString('hex');
    const ids: string[] = [];
    // One block uploads while the next is read; its failure is held, not left as an unhandled rejection.
    let inFlight: Promise<unknown> | undefined;
    let failure: { error: unknown } | undefined;
    for (let b: Buffer | undefined = head.shift(); b !== undefined; b = head.length > 0 ? head.shift() : await next()) {
      hash.update(b);
      size += b.length;
      const id = blockId(uploadId, ids.length);
      ids.push(id);
      await inFlight;
      if (failure) break;
      const body = b;
      // The block goes back to the pool only once the service has it (a retry inside the SDK resends it).
      inFlight = blob.stageBlock(id, body, body.length).then(
        () => pool.release(body),
        (error: unknown) => {
          failure = { error };
        },
      );
    }
    await inFlight;
    if (failure) throw classifyStorageError(failure.error, this.host.op('upload a block of an archive item', 'items', name));

    const sha256 = hash.digest('hex');
    try {
      const written = await blob.commitBlockList(ids, {
        conditions: { ifNoneMatch: '*' },
        metadata: { ...metadata, [SHA256_METADATA_KEY]: sha256 },
        blobHTTPHeaders: { blobContentType: CONTENT_TYPE.item },
      });
      await this.host.protection.protect(name, blob, written.lastModified ?? new Date());
      return { name, sha256, size, status: 'created' };
    } catch (err) {
      if (!isAlreadyExists(err)) throw classifyStorageError(err, this.host.op('commit an archive item', 'items', name));
    }
    return this.settleExisting(name, blob, sha256);
  }

  /**
   * Reads an archive item into memory and verifies it: the bytes must hash to the sha256 sealed in its
   * metadata. Meant for items up to {@link STREAMING_THRESHOLD_BYTES}; larger ones work but are buffered
   * whole, so read those with {@link openItemStream}.
   * @throws ItemTamperedError when they do not (or the seal is missing); BlobNotFoundError
   */
  async readItem(name: string): Promise<SealedItem> {
    assertBlobName(name);
    // One GET returns bytes and metadata together, so they describe the same blob version.
    const { bytes, metadata } = await this.host.call({ action: 'read an archive item', kind: 'items', blobName: name }, async () => {
      const response = await this.host.container('items').getBlockBlobClient(name).download();
      const body = response.readableStreamBody;
      return { bytes: body ? await streamToBuffer(body) : Buffer.alloc(0), metadata: response.metadata ?? {} };
    });
    const actual = sha256Hex(bytes);
    const sealed = metadataValue(metadata, SHA256_METADATA_KEY);
    if (sealed !== actual) throw new ItemTamperedError(name, sealed ?? '(none recorded)', actual);
    return { bytes, sha256: actual, metadata };
  }

  /**
   * Opens an archive item as a verified stream (see {@link VerifiedItemStream}): memory stays bounded
   * whatever the size. A broken connection resumes at the same blob version (ETag) or fails. Do not act on
   * the bytes before the stream ends successfully: tampering is reported as an error at the end.
   * @throws ItemTamperedError at once when the seal is missing; BlobNotFoundError
   */
  async openItemStream(name: string): Promise<VerifiedItemStream> {
    assertBlobName(name);
    const response = await this.host.call({ action: 'read an archive item', kind: 'items', blobName: name }, () =>
      this.host.container('items').getBlockBlobClient(name).download(0, undefined, { maxRetryRequests: 5 }),
    );
    const metadata = response.metadata ?? {};
    const sealed = metadataValue(metadata, SHA256_METADATA_KEY);
    const body = response.readableStreamBody as Readable | undefined;
    if (sealed === undefined) {
      body?.destroy();
      throw new ItemTamperedError(name, '(none recorded)', '(not computed: the item has no seal)');
    }
    const verifier = verifyingStream(name, sealed);
    if (body) {
      // A failed download reaches the consumer as a typed error; a consumer that stops early frees the socket.
      body.once('error', (err) => verifier.destroy(classifyStorageError(err, this.host.op('read an archive item', 'items', name))));
      verifier.once('close', () => {
        if (!body.readableEnded) body.destroy();
      });
      body.pipe(verifier);
    } else verifier.end();
    return { stream: verifier, size: response.contentLength ?? 0, sha256: sealed, metadata };
  }

  /**
   * Checks an item's integrity by streaming it through sha256, without holding it in memory.
   * @throws ItemTamperedError; BlobNotFoundError
   */
  async verifyItem(name: string): Promise<VerifiedItem> {
    const opened = await this.openItemStream(name);
    let size = 0;
    for await (const chunk of opened.stream) size += (chunk as Buffer).length;
    return { sha256: opened.sha256, size, metadata: opened.metadata };
  }

  /** Opens a working blob (e.g. a converted `.eml` in `work`) as a stream, e.g. to feed {@link putItemOnceFromStream}. */

  /** The item exists: same sha256 → `exists` (and protection re-applied), else ItemConflictError. */
  private async settleExisting(name: string, blob: BlockBlobClient, sha256: string): Promise<StagedItem> {
    const properties = await this.host.call({ action: 'read an archive item', kind: 'items', blobName: name }, () => blob.getProperties());
    const existing = metadataValue(properties.metadata, SHA256_METADATA_KEY) ?? '(none recorded)';
    if (existing !== sha256) throw new ItemConflictError(name, existing, sha256);
    await this.host.protection.protect(name, blob, properties.createdOn ?? properties.lastModified ?? new Date(), properties);
    return { name, sha256, size: properties.contentLength ?? 0, status: 'exists' };
  }
}
