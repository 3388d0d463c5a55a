export * from './types';
export * from './errors';
export { BlobStaging, sha256Hex, type BlobStagingOptions, type SealedItem } from './blob-staging';
export { containerNames, DEFAULT_CONTAINER_PREFIX, SHA256_METADATA_KEY } from './names';
