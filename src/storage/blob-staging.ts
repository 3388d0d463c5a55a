import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, RestError, type BlockBlobClient, type ContainerClient, type StorageRetryOptions } from '@azure/storage-blob';
import { classifyStorageError, type StorageOperation } from './classify';
import { cleanupContainer, cleanupCutoff, emptyCleanupResult, type CleanupOptions, type CleanupResult } from './cleanup';
import {
  BlobContentError,
  ImmutabilityError,
  ItemConflictError,
  ItemSourceError,
  ItemTamperedError,
  StorageConfigError,
  StorageUnavailableError,
} from './errors';
import { immutabilityVerdict, policyExpiry, type ImmutabilitySettings, type ImmutabilityVerdict } from './immutability';
import { linesOf } from './lines';
import { assertBlobName, assertItemMetadata, containerNames, DEFAULT_CONTAINER_PREFIX, SHA256_METADATA_KEY } from './names';
import {
  BLOCK_SIZE_BYTES,
  blockId,
  BlockPool,
  fixedBlocks,
  STREAMING_THRESHOLD_BYTES,
  verifyingStream,
  type ItemSource,
} from './streaming';
import { BLOB_KINDS, type BlobKind, type StagedItem, type StorageConfig } from './types';

/** Extra knobs that are not part of the connector's StorageConfig. */
export interface BlobStagingOptions {
  /**
   * SDK retries per call. Default: 4 tries, 0.5 s → 8 s backoff, 2 min per try: transient faults are absorbed
   * here, longer outages by the Temporal activity retry above us.
   */
  readonly retry?: StorageRetryOptions;
  /** Service-side protection of sealed items (see immutabilitySettingsFromEnv). Default: `none`. */
  readonly immutability?: ImmutabilitySettings;
}

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

/** Content types, so the blobs open sensibly in Storage Explorer and the portal. */
const CONTENT_TYPE = {
  json: 'application/json; charset=utf-8',
  jsonLines: 'application/x-ndjson; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  item: 'message/rfc822',
} as const;

const DEFAULT_RETRY: StorageRetryOptions = { maxTries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000, tryTimeoutInMs: 120_000 };

/** Hex sha256, the item's identity for the chain of custody. */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Metadata lookup ignoring case: Azure treats names case-insensitively and Azurite returns them lowercased. */
function metadataValue(metadata: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  if (!metadata) return undefined;
  const found = Object.keys(metadata).find((k) => k.toLowerCase() === key);
  return found === undefined ? undefined : metadata[found];
}

/** Azure answers 409 BlobAlreadyExists to If-None-Match: * on an existing blob; some versions/emulators 412. */
function isAlreadyExists(err: unknown): boolean {
  return err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412);
}

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Blob staging of the connector on Azure Blob Storage (Azurite locally). One container per {@link BlobKind}
 * (`<prefix>raw`, `-work`, `-items`, `-manifests`, `-logs`). Working blobs (raw, work, manifests, logs) are
 * overwritten on retry so activities stay idempotent; archive items are written once, sealed with the
 * sha256 of their bytes, and never overwritten.
 *
 * Large items stream: {@link putItemOnceFromStream} stages blocks while hashing and commits them once;
 * {@link openItemStream} verifies while reading. With {@link BlobStagingOptions.immutability} set against an
 * Azure container with version-level WORM, each sealed item also gets a time-based immutability policy or a
 * legal hold; {@link probeImmutability} tells the worker at start what is in force.
 */
export class BlobStaging {
  /** Container name per kind, e.g. `{ items: 'lparchive-items', ... }`. */
  readonly containers: Readonly<Record<BlobKind, string>>;
  /** Endpoint URL (no credentials), for messages and logs. */
  readonly endpoint: string;
  private readonly service: BlobServiceClient;
  private readonly immutability: ImmutabilitySettings;
  private verdict: Promise<ImmutabilityVerdict> | undefined;
  /** Block buffers shared by every streaming seal of this instance (a few kept for reuse, 4 MiB each). */
  private readonly blocks = new BlockPool(BLOCK_SIZE_BYTES, 4);

  /** @throws StorageConfigError for a bad container prefix or an unparsable connection string / URL. */
  constructor(config: StorageConfig, options: BlobStagingOptions = {}) {
    this.containers = containerNames(config.containerPrefix ?? DEFAULT_CONTAINER_PREFIX);
    const pipeline = { retryOptions: { ...DEFAULT_RETRY, ...options.retry } };
    try {
      this.service =
        config.kind === 'connection-string'
          ? BlobServiceClient.fromConnectionString(config.connectionString, pipeline)
          : new BlobServiceClient(config.accountUrl, new DefaultAzureCredential(), pipeline);
    } catch (err) {
      const field = config.kind === 'connection-string' ? 'connectionString' : 'accountUrl';
      // Never echo the connection string: it holds the account key.
      throw new StorageConfigError(
        field,
        `The storage ${field} cannot be used (${(err as Error).message.split('\n')[0] ?? 'invalid'}). ` +
          (config.kind === 'connection-string'
            ? 'Check AZURE_STORAGE_CONNECTION_STRING (Azurite: see `npm run stack` output).'
            : 'AZURE_STORAGE_ACCOUNT_URL must look like https://<account>.blob.core.windows.net.'),
      );
    }
    this.endpoint = this.service.url.split('?')[0] ?? this.service.url;
    this.immutability = options.immutability ?? { mode: 'none' };
  }

  /** Creates the five containers if missing (private access). Safe to call at every worker start. */
  async ensureContainers(): Promise<void> {
    for (const kind of BLOB_KINDS) {
      await this.call({ action: 'create a container', kind }, () => this.container(kind).createIfNotExists());
    }
  }

  /** Writes `value` as JSON, overwriting any earlier version (working files are rewritten on retry). */
  async putJson(kind: BlobKind, name: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) throw new BlobContentError(kind, name, 'the value is not JSON-serialisable (undefined or a function)');
    await this.putBytes(kind, name, Buffer.from(text, 'utf8'), CONTENT_TYPE.json);
  }

  /**
   * Writes JSON lines (one value per line), streamed: the values are serialised one at a time as the upload
   * takes them, so a large page never exists as one string. Overwrites any earlier version.
   */
  async putJsonLines(kind: BlobKind, name: string, values: Iterable<unknown>): Promise<void> {
    assertBlobName(name);
    function* lines(): Generator<Buffer> {
      for (const v of values) {
        const text = JSON.stringify(v);
        if (text === undefined) throw new BlobContentError(kind, name, 'a value is not JSON-serialisable (undefined or a function)');
        yield Buffer.from(`${text}\n`, 'utf8');
      }
    }
    await this.call({ action: 'write a blob', kind, blobName: name }, () =>
      this.container(kind)
        .getBlockBlobClient(name)
        .uploadStream(Readable.from(lines()), BLOCK_SIZE_BYTES, 2, { blobHTTPHeaders: { blobContentType: CONTENT_TYPE.jsonLines } }),
    );
  }

  /**
   * Reads a blob of JSON lines one value at a time (streamed; blank lines are skipped).
   * @throws BlobNotFoundError, BlobContentError (a line is not JSON)
   */
  async *readJsonLines(kind: BlobKind, name: string): AsyncGenerator<unknown> {
    const stream = await this.openBlobStream(kind, name);
    let n = 0;
    try {
      for await (const line of linesOf(stream)) {
        n++;
        if (line.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line) as unknown;
        } catch (err) {
          throw new BlobContentError(kind, name, `line ${n} is not valid JSON (${(err as Error).message})`, { cause: err });
        }
        yield value;
      }
    } finally {
      stream.destroy(); // a reader that stops early must not keep the connection
    }
  }

  /**
   * Reads a JSON blob. Pass `parse` (e.g. a zod schema's `parse`) to validate the shape; without it the value
   * is trusted as `T`.
   * @throws BlobNotFoundError, BlobContentError (not JSON, or `parse` threw)
   */
  async getJson<T>(kind: BlobKind, name: string, parse?: (value: unknown) => T): Promise<T> {
    const text = await this.getText(kind, name);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new BlobContentError(kind, name, `not valid JSON (${(err as Error).message})`, { cause: err });
    }
    if (!parse) return value as T;
    try {
      return parse(value);
    } catch (err) {
      throw new BlobContentError(kind, name, `JSON does not have the expected shape (${(err as Error).message})`, { cause: err });
    }
  }

  /** Writes UTF-8 text, overwriting any earlier version. */
  async putText(kind: BlobKind, name: string, text: string, contentType: string = CONTENT_TYPE.text): Promise<void> {
    await this.putBytes(kind, name, Buffer.from(text, 'utf8'), contentType);
  }

  /** Writes bytes as they are (e.g. a converted message), overwriting any earlier version. */
  async putMessage(kind: BlobKind, name: string, bytes: Buffer): Promise<void> {
    await this.putBytes(kind, name, bytes, CONTENT_TYPE.item);
  }

  /** Reads a blob as UTF-8 text. @throws BlobNotFoundError */
  async getText(kind: BlobKind, name: string): Promise<string> {
    assertBlobName(name);
    const bytes = await this.call({ action: 'read a blob', kind, blobName: name }, () =>
      this.container(kind).getBlockBlobClient(name).downloadToBuffer(),
    );
    return bytes.toString('utf8');
  }

  /** True when the blob exists. */
  async exists(kind: BlobKind, name: string): Promise<boolean> {
    assertBlobName(name);
    return this.call({ action: 'check a blob', kind, blobName: name }, () => this.container(kind).getBlockBlobClient(name).exists());
  }

  /** Deletes a blob (with its snapshots); a missing blob is not an error, so cleanup can be retried. */
  async delete(kind: BlobKind, name: string): Promise<void> {
    assertBlobName(name);
    await this.call({ action: 'delete a blob', kind, blobName: name }, () =>
      this.container(kind).getBlockBlobClient(name).deleteIfExists({ deleteSnapshots: 'include' }),
    );
  }

  /** Full names of the blobs of `kind` whose name starts with `prefix`, in the service's (lexical) order. */
  /** Whether any blob's name starts with `prefix` (reads one listing page of one blob, however many there are). */
  async hasAny(kind: BlobKind, prefix: string): Promise<boolean> {
    return this.call({ action: 'list blobs', kind }, async () => {
      for await (const page of this.container(kind).listBlobsFlat({ prefix }).byPage({ maxPageSize: 1 })) {
        return page.segment.blobItems.length > 0;
      }
      return false;
    });
  }

  async list(kind: BlobKind, prefix: string): Promise<string[]> {
    return this.call({ action: 'list blobs', kind }, async () => {
      const names: string[] = [];
      for await (const blob of this.container(kind).listBlobsFlat({ prefix })) names.push(blob.name);
      return names;
    });
  }

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
    const blob = this.container('items').getBlockBlobClient(name);
    try {
      const written = await blob.upload(bytes, bytes.length, {
        conditions: { ifNoneMatch: '*' },
        metadata: { ...metadata, [SHA256_METADATA_KEY]: sha256 },
        blobHTTPHeaders: { blobContentType: CONTENT_TYPE.item },
      });
      await this.protect(name, blob, written.lastModified ?? new Date());
      return { name, sha256, size: bytes.length, status: 'created' };
    } catch (err) {
      if (!isAlreadyExists(err)) throw classifyStorageError(err, this.op('write an archive item', 'items', name));
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
    const pool = this.blocks;
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

    const blob = this.container('items').getBlockBlobClient(name);
    const hash = createHash('sha256');
    let size = 0;
    const exists = await this.call({ action: 'check an archive item', kind: 'items', blobName: name }, () => blob.exists());
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
    if (failure) throw classifyStorageError(failure.error, this.op('upload a block of an archive item', 'items', name));

    const sha256 = hash.digest('hex');
    try {
      const written = await blob.commitBlockList(ids, {
        conditions: { ifNoneMatch: '*' },
        metadata: { ...metadata, [SHA256_METADATA_KEY]: sha256 },
        blobHTTPHeaders: { blobContentType: CONTENT_TYPE.item },
      });
      await this.protect(name, blob, written.lastModified ?? new Date());
      return { name, sha256, size, status: 'created' };
    } catch (err) {
      if (!isAlreadyExists(err)) throw classifyStorageError(err, this.op('commit an archive item', 'items', name));
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
    const { bytes, metadata } = await this.call({ action: 'read an archive item', kind: 'items', blobName: name }, async () => {
      const response = await this.container('items').getBlockBlobClient(name).download();
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
    const response = await this.call({ action: 'read an archive item', kind: 'items', blobName: name }, () =>
      this.container('items').getBlockBlobClient(name).download(0, undefined, { maxRetryRequests: 5 }),
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
      body.once('error', (err) => verifier.destroy(classifyStorageError(err, this.op('read an archive item', 'items', name))));
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
  async openBlobStream(kind: BlobKind, name: string): Promise<Readable> {
    assertBlobName(name);
    const response = await this.call({ action: 'read a blob', kind, blobName: name }, () =>
      this.container(kind).getBlockBlobClient(name).download(0, undefined, { maxRetryRequests: 5 }),
    );
    return (response.readableStreamBody as Readable | undefined) ?? Readable.from([]);
  }

  /**
   * Checks once what protection sealed items get here and returns the one line the worker should print at
   * start, or undefined when everything configured is in force. Azurite (and `LPA_IMMUTABILITY=none`) give
   * a warning such as "Blob store at … does not support immutability policies (Azurite); sealed items are
   * protected by If-None-Match and sha256 only". Call after {@link ensureContainers}.
   * @throws StorageConfigError when immutability is configured on an Azure container without version-level WORM
   */
  async probeImmutability(): Promise<string | undefined> {
    return (await this.immutabilityVerdict()).warning;
  }

  /**
   * Deletes staged blobs of the given kinds last modified more than `olderThanDays` ago, skipping those under
   * a legal hold or an unexpired immutability policy. Safe to repeat; returns counts per kind.
   * @throws CleanupOptionsError for a negative age or unknown kind; StorageError from the service
   */
  async cleanupStaged(options: CleanupOptions): Promise<CleanupResult> {
    const cutoff = cleanupCutoff(options);
    const now = options.now ?? new Date();
    const result = emptyCleanupResult(cutoff);
    for (const kind of options.kinds) {
      await this.call({ action: 'clean up old blobs', kind }, () =>
        cleanupContainer(this.container(kind), kind, cutoff, now, options, result),
      );
    }
    return result;
  }

  /** The item exists: same sha256 → `exists` (and protection re-applied), else ItemConflictError. */
  private async settleExisting(name: string, blob: BlockBlobClient, sha256: string): Promise<StagedItem> {
    const properties = await this.call({ action: 'read an archive item', kind: 'items', blobName: name }, () => blob.getProperties());
    const existing = metadataValue(properties.metadata, SHA256_METADATA_KEY) ?? '(none recorded)';
    if (existing !== sha256) throw new ItemConflictError(name, existing, sha256);
    await this.protect(name, blob, properties.createdOn ?? properties.lastModified ?? new Date(), properties);
    return { name, sha256, size: properties.contentLength ?? 0, status: 'exists' };
  }

  /** Runs the immutability probe once per instance; sealing waits for it when protection is configured. */
  private immutabilityVerdict(): Promise<ImmutabilityVerdict> {
    this.verdict ??= this.probeStore().then(
      (facts) => immutabilityVerdict(this.immutability, facts),
      (err: unknown) => {
        this.verdict = undefined; // a network failure must not stick; the next call probes again
        throw err;
      },
    );
    return this.verdict;
  }

  private async probeStore(): Promise<Parameters<typeof immutabilityVerdict>[1]> {
    const properties = await this.call({ action: 'read the items container properties', kind: 'items' }, () =>
      this.container('items').getProperties(),
    );
    const server = properties._response.headers.get('server') ?? '';
    return {
      endpoint: this.endpoint,
      itemsContainer: this.containers.items,
      emulator:
        server.startsWith('Azurite') || /\/devstoreaccount1\/?$/.test(this.endpoint) || this.service.accountName === 'devstoreaccount1',
      versionLevelWorm: properties.isImmutableStorageWithVersioningEnabled === true,
    };
  }

  /**
   * Applies the configured protection to a sealed item, unless it already has it. The policy expiry derives
   * from the item's creation time, so every retry asks for the same (a locked policy can only be extended).
   */
  private async protect(
    name: string,
    blob: BlockBlobClient,
    createdOn: Date,
    current?: { readonly legalHold?: boolean; readonly immutabilityPolicyExpiresOn?: Date },
  ): Promise<void> {
    const settings = this.immutability;
    if (settings.mode === 'none') return;
    if (!(await this.immutabilityVerdict()).active) return;
    try {
      if (settings.mode === 'legal-hold') {
        if (current?.legalHold !== true) await blob.setLegalHold(true);
        return;
      }
      const expiriesOn = policyExpiry(createdOn, settings.retentionDays ?? 0);
      if (expiriesOn.getTime() <= Date.now()) return; // its retention is already over
      if (current?.immutabilityPolicyExpiresOn !== undefined && current.immutabilityPolicyExpiresOn >= expiriesOn) return;
      await blob.setImmutabilityPolicy({ expiriesOn, policyMode: settings.lock === 'locked' ? 'Locked' : 'Unlocked' });
    } catch (err) {
      const classified = classifyStorageError(err, this.op('protect an archive item', 'items', name));
      if (classified instanceof StorageUnavailableError) throw classified;
      throw new ImmutabilityError(name, settings.mode, classified.message, { cause: err });
    }
  }

  private container(kind: BlobKind): ContainerClient {
    return this.service.getContainerClient(this.containers[kind]);
  }

  private op(action: string, kind: BlobKind, blobName?: string): StorageOperation {
    return { action, endpoint: this.endpoint, container: this.containers[kind], kind, blobName };
  }

  private async putBytes(kind: BlobKind, name: string, bytes: Buffer, contentType: string): Promise<void> {
    assertBlobName(name);
    await this.call({ action: 'write a blob', kind, blobName: name }, () =>
      this.container(kind)
        .getBlockBlobClient(name)
        .upload(bytes, bytes.length, { blobHTTPHeaders: { blobContentType: contentType } }),
    );
  }

  /** Runs one SDK call and turns its failure into a typed StorageError. */
  private async call<T>(what: { action: string; kind: BlobKind; blobName?: string }, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw classifyStorageError(err, this.op(what.action, what.kind, what.blobName));
    }
  }
}
