import { createHash } from 'node:crypto';
import { DefaultAzureCredential } from '@azure/identity';
import {
  BlobServiceClient,
  RestError,
  type ContainerClient,
  type StorageRetryOptions,
} from '@azure/storage-blob';
import { classifyStorageError, type StorageOperation } from './classify';
import { BlobContentError, ItemConflictError, ItemTamperedError, StorageConfigError } from './errors';
import { assertBlobName, assertItemMetadata, containerNames, DEFAULT_CONTAINER_PREFIX, SHA256_METADATA_KEY } from './names';
import { BLOB_KINDS, type BlobKind, type StagedItem, type StorageConfig } from './types';

/** Extra knobs that are not part of the connector's StorageConfig. */
export interface BlobStagingOptions {
  /**
   * SDK retries per call. Default: 4 tries, 0.5 s → 8 s backoff, 2 min per try: transient faults are absorbed
   * here, longer outages by the Temporal activity retry above us.
   */
  readonly retry?: StorageRetryOptions;
}

/** An archive item as read back, with its integrity verified. */
export interface SealedItem {
  readonly bytes: Buffer;
  /** Verified: the bytes hash to this and it equals the sha256 sealed into the metadata. */
  readonly sha256: string;
  /** The metadata written with the item (keys as the service returns them, i.e. lowercase). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Content types, so the blobs open sensibly in Storage Explorer and the portal. */
const CONTENT_TYPE = {
  json: 'application/json; charset=utf-8',
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
 * A future `putItemOnceFromStream(name, stream, metadata)` fits the same design: stage blocks while hashing,
 * then commit the block list with `If-None-Match: *` and the sha256 metadata.
 */
export class BlobStaging {
  /** Container name per kind, e.g. `{ items: 'lparchive-items', ... }`. */
  readonly containers: Readonly<Record<BlobKind, string>>;
  /** Endpoint URL (no credentials), for messages and logs. */
  readonly endpoint: string;
  private readonly service: BlobServiceClient;

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
   * attempt wrote it) the result is `exists`; with a different sha256 nothing is overwritten.
   * @throws ItemConflictError when the name is taken by different bytes; InvalidMetadataError for bad metadata
   */
  async putItemOnce(name: string, bytes: Buffer, metadata: Record<string, string>): Promise<StagedItem> {
    assertBlobName(name);
    assertItemMetadata(metadata);
    const sha256 = sha256Hex(bytes);
    const blob = this.container('items').getBlockBlobClient(name);
    try {
      await blob.upload(bytes, bytes.length, {
        conditions: { ifNoneMatch: '*' },
        metadata: { ...metadata, [SHA256_METADATA_KEY]: sha256 },
        blobHTTPHeaders: { blobContentType: CONTENT_TYPE.item },
      });
      return { name, sha256, size: bytes.length, status: 'created' };
    } catch (err) {
      // Azure answers 409 BlobAlreadyExists to If-None-Match: * on an existing blob; some versions/emulators 412.
      if (!(err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412)))
        throw classifyStorageError(err, this.op('write an archive item', 'items', name));
    }
    const properties = await this.call({ action: 'read an archive item', kind: 'items', blobName: name }, () => blob.getProperties());
    const existing = metadataValue(properties.metadata, SHA256_METADATA_KEY) ?? '(none recorded)';
    if (existing !== sha256) throw new ItemConflictError(name, existing, sha256);
    return { name, sha256, size: properties.contentLength ?? bytes.length, status: 'exists' };
  }

  /**
   * Reads an archive item and verifies it: the bytes must hash to the sha256 sealed in its metadata.
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

  private container(kind: BlobKind): ContainerClient {
    return this.service.getContainerClient(this.containers[kind]);
  }

  private op(action: string, kind: BlobKind, blobName?: string): StorageOperation {
    return { action, endpoint: this.endpoint, container: this.containers[kind], kind, blobName };
  }

  private async putBytes(kind: BlobKind, name: string, bytes: Buffer, contentType: string): Promise<void> {
    assertBlobName(name);
    await this.call({ action: 'write a blob', kind, blobName: name }, () =>
      this.container(kind).getBlockBlobClient(name).upload(bytes, bytes.length, { blobHTTPHeaders: { blobContentType: contentType } }),
    );
  }

  /** Runs one SDK call and turns its failure into a typed StorageError. */
  private async call<T>(
    what: { action: string; kind: BlobKind; blobName?: string },
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw classifyStorageError(err, this.op(what.action, what.kind, what.blobName));
    }
  }
}
