import { createHash } from 'node:crypto';
import { RestError, type StorageRetryOptions } from '@azure/storage-blob';

/** Content types of what the staging writes. */
export const CONTENT_TYPE = {
  json: 'application/json; charset=utf-8',
  jsonLines: 'application/x-ndjson; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  item: 'message/rfc822',
} as const;

/** The SDK's retries of one storage call: a few, quick, bounded (Temporal retries the activity after that). */
export const DEFAULT_RETRY: StorageRetryOptions = { maxTries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000, tryTimeoutInMs: 120_000 };

/** Hex sha256, the item's identity for the chain of custody. */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Metadata lookup ignoring case: Azure treats names case-insensitively and Azurite returns them lowercased. */
export function metadataValue(metadata: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  if (!metadata) return undefined;
  const found = Object.keys(metadata).find((k) => k.toLowerCase() === key);
  return found === undefined ? undefined : metadata[found];
}

/** Azure answers 409 BlobAlreadyExists to If-None-Match: * on an existing blob; some versions/emulators 412. */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412);
}

export async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
