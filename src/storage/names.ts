import { BLOB_KINDS, type BlobKind } from './types';
import { InvalidBlobNameError, InvalidMetadataError, StorageConfigError } from './errors';

export const DEFAULT_CONTAINER_PREFIX = 'lparchive-';

/** Azure container names: 3–63 chars of lowercase letters, digits and single hyphens, starting with a letter or digit. */
const CONTAINER_NAME = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/** Container of each blob kind for a prefix, e.g. `lparchive-items`. Validated once, up front. */
export function containerNames(prefix: string = DEFAULT_CONTAINER_PREFIX): Readonly<Record<BlobKind, string>> {
  const names = {} as Record<BlobKind, string>;
  for (const kind of BLOB_KINDS) {
    const name = `${prefix}${kind}`;
    if (name.length > 63 || !CONTAINER_NAME.test(name))
      throw new StorageConfigError(
        'containerPrefix',
        `Container prefix ${JSON.stringify(prefix)} gives the invalid container name "${name}". ` +
          'Use lowercase letters, digits and single hyphens, at most 54 characters, e.g. "lparchive-".',
      );
    names[kind] = name;
  }
  return names;
}

/**
 * Refuses names that would escape their folder, confuse listings or that Azure would reject, so bad input
 * becomes a clear error instead of a strange blob.
 */
export function assertBlobName(name: string): void {
  if (name.length === 0) throw new InvalidBlobNameError(name, 'it is empty');
  if (name.length > 1024) throw new InvalidBlobNameError(name, 'it is longer than 1024 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(name)) throw new InvalidBlobNameError(name, 'it contains a control character or a backslash');
  if (name.startsWith('/') || name.endsWith('/')) throw new InvalidBlobNameError(name, 'it starts or ends with "/"');
  if (name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..'))
    throw new InvalidBlobNameError(name, 'it has an empty, "." or ".." path segment');
}

/** Metadata key under which every archive item carries the sha256 (hex) of its bytes. */
export const SHA256_METADATA_KEY = 'sha256';

/** Azure metadata names are C# identifiers; values travel as HTTP headers, so printable ASCII only. */
export function assertItemMetadata(metadata: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new InvalidMetadataError(key, 'names must be letters, digits and underscores, not starting with a digit');
    if (key.toLowerCase() === SHA256_METADATA_KEY)
      throw new InvalidMetadataError(key, 'this name is reserved for the hash the storage layer computes itself');
    if (!/^[\x20-\x7e]*$/.test(value))
      throw new InvalidMetadataError(key, 'values must be printable ASCII (keep personal data out of metadata; it belongs in the item)');
    if (value !== value.trim()) throw new InvalidMetadataError(key, 'values must not start or end with spaces (HTTP trims them)');
  }
}
