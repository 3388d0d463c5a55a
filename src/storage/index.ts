export * from './types';
export * from './errors';
export { sha256Hex } from './blob-util';
export { BlobStaging, type BlobStagingOptions } from './blob-staging';
export type { SealedItem, VerifiedItem, VerifiedItemStream } from './sealed-items';
export { containerNames, DEFAULT_CONTAINER_PREFIX, SHA256_METADATA_KEY } from './names';
export { BLOCK_SIZE_BYTES, STREAMING_THRESHOLD_BYTES, type ItemSource } from './streaming';
export {
  IMMUTABILITY_ENV,
  IMMUTABILITY_MODES,
  immutabilitySettingsFromEnv,
  immutabilityVerdict,
  POLICY_LOCKS,
  type ImmutabilityMode,
  type ImmutabilitySettings,
  type ImmutabilityVerdict,
  type PolicyLock,
  type StoreFacts,
} from './immutability';
export type { CleanupOptions, CleanupResult } from './cleanup';
