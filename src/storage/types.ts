/** The kinds of blob the connector keeps, each in its own container. */
export const BLOB_KINDS = ['raw', 'work', 'items', 'manifests', 'logs'] as const;
export type BlobKind = (typeof BLOB_KINDS)[number];

export interface StagedItem {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  /** `created`: this call wrote it; `exists`: an earlier attempt wrote the same bytes. */
  readonly status: 'created' | 'exists';
}

export type StorageConfig =
  | { readonly kind: 'connection-string'; readonly connectionString: string; readonly containerPrefix?: string }
  | { readonly kind: 'account-url'; readonly accountUrl: string; readonly containerPrefix?: string };

/** A blob's name with the time it was last written (the store's clock). */
export interface DatedBlob {
  readonly name: string;
  readonly lastModified: Date;
}
