import { LpArchiveError, type ErrorKind } from '../model/errors';
import type { BlobKind } from './types';

/**
 * Typed storage errors. Each message names the cause and the fix; the readonly fields carry the context a
 * caller or log needs. `name` is the class name, so code across process or Temporal boundaries can test it.
 */

/** Base class of every error thrown by the storage layer. */
export class StorageError extends LpArchiveError {
  /** Storage failures are outages unless a subclass says otherwise. */
  readonly kind: ErrorKind = 'transient';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The StorageConfig cannot work (e.g. a container prefix Azure would refuse). */
export class StorageConfigError extends StorageError {
  override readonly kind = 'configuration';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Nothing answers at the storage endpoint (Azurite not running, wrong URL, DNS, network). */
export class StorageUnavailableError extends StorageError {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot reach Azure Blob Storage at ${endpoint} (${reason}). ` +
        'If this is Azurite, is it running (`npm run stack`)? Otherwise check the connection string / account URL and the network.',
      options,
    );
  }
}

/** The service refused our credentials or the identity lacks a role. */
export class StorageAuthError extends StorageError {
  override readonly kind = 'configuration';
  constructor(
    readonly endpoint: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `Azure Blob Storage at ${endpoint} refused access (${status ?? 'no credential'}${code ? ` ${code}` : ''}). ` +
        'Check the account key in AZURE_STORAGE_CONNECTION_STRING, or give the worker identity the ' +
        '"Storage Blob Data Contributor" role on the account (DefaultAzureCredential with AZURE_STORAGE_ACCOUNT_URL).',
      options,
    );
  }
}

/** A container the connector uses does not exist. */
export class ContainerMissingError extends StorageError {
  override readonly kind = 'configuration';
  constructor(
    readonly container: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Blob container "${container}" does not exist. Call BlobStaging.ensureContainers() (the worker does at start), ` +
        'or check the container prefix (LPA_CONTAINER_PREFIX).',
      options,
    );
  }
}

/** A blob that was expected is not there. */
export class BlobNotFoundError extends StorageError {
  override readonly kind = 'not-found';
  constructor(
    readonly blobKind: BlobKind,
    readonly blobName: string,
    readonly container: string,
    options?: { cause?: unknown },
  ) {
    super(`Blob "${blobName}" not found in container "${container}" (${blobKind}).`, options);
  }
}

/** A blob name the storage layer refuses (empty, too long, path traversal, control characters). */
export class InvalidBlobNameError extends StorageError {
  override readonly kind = 'item';
  constructor(
    readonly blobName: string,
    readonly reason: string,
  ) {
    super(`Invalid blob name ${JSON.stringify(blobName.slice(0, 200))}: ${reason}.`);
  }
}

/** Item metadata Azure would refuse or that would clash with ours. */
export class InvalidMetadataError extends StorageError {
  override readonly kind = 'item';
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Invalid blob metadata "${key}": ${reason}.`);
  }
}

/** A stored blob's content is not what its kind promises (e.g. JSON that does not parse). */
export class BlobContentError extends StorageError {
  override readonly kind = 'unexpected';
  constructor(
    readonly blobKind: BlobKind,
    readonly blobName: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Blob "${blobName}" (${blobKind}) has unusable content: ${reason}.`, options);
  }
}

/**
 * An archive item of this name already exists with different bytes. Items are written once and never
 * overwritten: the original stays, and the difference needs a person to look at it.
 */
export class ItemConflictError extends StorageError {
  override readonly kind = 'item';
  constructor(
    readonly itemName: string,
    readonly existingSha256: string,
    readonly newSha256: string,
  ) {
    super(
      `Archive item "${itemName}" already exists with different content (stored sha256 ${existingSha256}, ` +
        `new sha256 ${newSha256}). It was not overwritten. A conversation version must convert to the same bytes ` +
        'every time; check for a converter change, or give re-processed conversations a new version.',
    );
  }
}

/** An archive item's bytes no longer match the sha256 recorded when it was sealed. */
export class ItemTamperedError extends StorageError {
  override readonly kind = 'unexpected';
  constructor(
    readonly itemName: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(
      `Archive item "${itemName}" fails its integrity check: sealed sha256 ${expectedSha256}, stored bytes hash to ` +
        `${actualSha256}. The item was altered or damaged in storage; do not import it. Restore it from a backup or ` +
        're-archive the conversation, and investigate who can write to the items container.',
    );
  }
}

/** The source of a streamed item failed before the item was sealed: nothing was committed, a retry starts over. */
export class ItemSourceError extends StorageError {
  constructor(
    readonly itemName: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Reading the content of archive item "${itemName}" failed before it was sealed (${reason}). Nothing was committed ` +
        '(staged blocks are discarded by Azure); retrying the write starts over.',
      options,
    );
  }
}

/** An item was sealed, but the service refused its immutability policy or legal hold. */
export class ImmutabilityError extends StorageError {
  constructor(
    readonly itemName: string,
    readonly mode: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Archive item "${itemName}" is sealed, but its ${mode} protection could not be set (${reason}). The item is kept and ` +
        'a retry sets the protection again. Check that the items container has version-level immutability support and that ' +
        'the worker identity may set immutability policies and legal holds, or set LPA_IMMUTABILITY=none.',
      options,
    );
  }
}

/** cleanupStaged was called with options that make no sense (e.g. a negative age). */
export class CleanupOptionsError extends StorageError {
  override readonly kind = 'configuration';
  /** Bad input: retrying the same call cannot help. */
  override readonly retryable = false;
  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super(`Cleanup option "${option}" ${reason}.`);
  }
}
