import { RestError } from '@azure/storage-blob';
import type { BlobKind } from './types';
import { BlobNotFoundError, ContainerMissingError, StorageAuthError, StorageError, StorageUnavailableError } from './errors';

/** What was being done when an SDK call failed, so the typed error can name it. */
export interface StorageOperation {
  readonly action: string;
  readonly endpoint: string;
  readonly container: string;
  readonly kind?: BlobKind;
  readonly blobName?: string;
}

const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'];

/** Errors @azure/identity throws when no credential works; matched by name to avoid importing its internals. */
const CREDENTIAL_ERRORS = ['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError'];

/** Maps an SDK failure to a typed StorageError naming cause and fix; typed errors pass through unchanged. */
export function classifyStorageError(err: unknown, op: StorageOperation): StorageError {
  if (err instanceof StorageError) return err;
  if (err instanceof Error && CREDENTIAL_ERRORS.includes(err.name))
    return new StorageAuthError(op.endpoint, undefined, err.name, { cause: err });
  if (err instanceof RestError) {
    // HEAD responses have no body, so the SDK leaves `code` empty and puts x-ms-error-code into details.
    const details = err.details as { errorCode?: unknown } | undefined;
    const code = typeof err.code === 'string' ? err.code : typeof details?.errorCode === 'string' ? details.errorCode : undefined;
    const status = err.statusCode;
    if (status === 404 && code === 'ContainerNotFound') return new ContainerMissingError(op.container, { cause: err });
    if (status === 404 && op.kind !== undefined && op.blobName !== undefined)
      return new BlobNotFoundError(op.kind, op.blobName, op.container, { cause: err });
    if (status === 401 || status === 403) return new StorageAuthError(op.endpoint, status, code, { cause: err });
    if (status === undefined) {
      const network = NETWORK_CODES.find((c) => code === c || err.message.includes(c));
      return new StorageUnavailableError(op.endpoint, network ?? err.message, { cause: err });
    }
    return new StorageError(
      `Azure Blob Storage failed to ${op.action} (${status}${code ? ` ${code}` : ''}) in container "${op.container}"` +
        `${op.blobName ? ` for "${op.blobName}"` : ''}: ${err.message.split('\n')[0] ?? ''}`,
      { cause: err },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  const network = NETWORK_CODES.find((c) => message.includes(c) || (err as { code?: unknown }).code === c);
  if (network) return new StorageUnavailableError(op.endpoint, network, { cause: err });
  return new StorageError(`Blob storage failed to ${op.action} in container "${op.container}": ${message}`, { cause: err });
}
