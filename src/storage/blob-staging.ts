import { Readable } from 'node:stream';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, type StorageRetryOptions } from '@azure/storage-blob';
import { CONTENT_TYPE, DEFAULT_RETRY } from './blob-util';
import { classifyStorageError, type StorageOperation } from './classify';
import { cleanupContainer, cleanupCutoff, emptyCleanupResult, type CleanupOptions, type CleanupResult } from './cleanup';
import { BlobContentError, StorageConfigError } from './errors';
import type { ImmutabilitySettings } from './immutability';
import { ItemProtection } from './item-protection';
import { linesOf } from './lines';
import { assertBlobName, containerNames, DEFAULT_CONTAINER_PREFIX } from './names';
import { SealedItems, type SealedItem, type VerifiedItem, type VerifiedItemStream } from './sealed-items';
import { BLOCK_SIZE_BYTES, BlockPool, type ItemSource } from './streaming';
import { BLOB_KINDS, type BlobKind, type DatedBlob, type StagedItem, type StorageConfig } from './types';

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

/** Content types, so the blobs open sensibly in Storage Explorer and the portal. */

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
  private readonly protection: ItemProtection;
  private readonly sealed: SealedItems;
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
    this.protection = new ItemProtection(options.immutability ?? { mode: 'none' }, {
      endpoint: this.endpoint,
      itemsContainer: this.containers.items,
      accountName: this.service.accountName,
      items: () => this.container('items'),
      op: (action, blobName) => this.op(action, 'items', blobName),
    });
    this.sealed = new SealedItems({
      container: (kind) => this.container(kind),
      op: (action, kind, blobName) => this.op(action, kind, blobName),
      call: (what, fn) => this.call(what, fn),
      protection: this.protection,
      blocks: this.blocks,
    });
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
   * The blobs of `kind` under `prefix` with their Last-Modified time, in the service's (lexical) order, one listing
   * page at a time: a caller that stops early reads no further pages.
   */
  async *listDated(kind: BlobKind, prefix: string): AsyncGenerator<DatedBlob> {
    const pages = this.container(kind).listBlobsFlat({ prefix }).byPage({ maxPageSize: 1000 });
    for (;;) {
      const page = await this.call({ action: 'list blobs', kind }, () => pages.next());
      if (page.done) return;
      for (const blob of page.value.segment.blobItems) yield { name: blob.name, lastModified: blob.properties.lastModified };
    }
  }

  /** The first segments of the names in `kind` (e.g. the connectors with manifests), each with its trailing `/`. */
  async listFolders(kind: BlobKind): Promise<string[]> {
    return this.call({ action: 'list blob folders', kind }, async () => {
      const folders: string[] = [];
      for await (const entry of this.container(kind).listBlobsByHierarchy('/')) if (entry.kind === 'prefix') folders.push(entry.name);
      return folders;
    });
  }

  /** {@inheritDoc SealedItems.putItemOnce} */
  putItemOnce(name: string, bytes: Buffer, metadata: Record<string, string>): Promise<StagedItem> {
    return this.sealed.putItemOnce(name, bytes, metadata);
  }

  /** {@inheritDoc SealedItems.putItemOnceFromStream} */
  putItemOnceFromStream(name: string, source: ItemSource, metadata: Record<string, string>): Promise<StagedItem> {
    return this.sealed.putItemOnceFromStream(name, source, metadata);
  }

  /** {@inheritDoc SealedItems.readItem} */
  readItem(name: string): Promise<SealedItem> {
    return this.sealed.readItem(name);
  }

  /** {@inheritDoc SealedItems.openItemStream} */
  openItemStream(name: string): Promise<VerifiedItemStream> {
    return this.sealed.openItemStream(name);
  }

  /** {@inheritDoc SealedItems.verifyItem} */
  verifyItem(name: string): Promise<VerifiedItem> {
    return this.sealed.verifyItem(name);
  }

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
    return (await this.protection.check()).warning;
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
