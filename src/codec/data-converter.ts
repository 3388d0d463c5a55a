import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import { keyRingFromEnv, type KeyRing } from './key-ring';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The data converter for a key ring: the encryption codec, plus a failure converter that moves error
 * messages and stack traces into (encrypted) payloads. Without a ring, Temporal's defaults (plain JSON).
 * Client and worker must use the same one.
 */
export function dataConverterFor(ring: KeyRing | undefined): DataConverter {
  if (!ring) return {};
  return {
    payloadCodecs: [new EncryptionCodec(ring)],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}

/**
 * The data converter for the worker, the starter CLI and tests, from LPA_CODEC_KEYS / LPA_CODEC_KEYS_FILE /
 * LPA_CODEC_ACTIVE_KEY (see key-ring.ts). The workflow bundle needs nothing: codecs run outside the sandbox.
 * @throws CodecConfigError when the keys are set but malformed (never falls back to plain text)
 */
export function dataConverterFromEnv(env: Env = process.env): DataConverter {
  return dataConverterFor(keyRingFromEnv(env));
}

/** One line for the worker's start-up log: whether payloads are encrypted and with which key id. */
export function encryptionStatusLine(env: Env = process.env): string {
  const ring = keyRingFromEnv(env);
  if (!ring) {
    return 'payloads are NOT encrypted: workflow inputs, results and memos are stored in Temporal as plain JSON (set LPA_CODEC_KEYS to encrypt them)';
  }
  return `payloads are encrypted with AES-256-GCM, key "${ring.activeKeyId}" (${ring.keys.size} key${ring.keys.size === 1 ? '' : 's'} can decrypt)`;
}
