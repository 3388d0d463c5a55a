/**
 * Errors of the payload codec. Messages name key ids and environment variables, never key material.
 */

/** LPA_CODEC_KEYS / LPA_CODEC_ACTIVE_KEY / LPA_CODEC_KEYS_FILE are malformed: refused at start. */
export class CodecConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'CodecConfigError';
  }
}

/** A payload names an encryption key id this process does not hold. */
export class UnknownEncryptionKeyError extends Error {
  constructor(
    readonly keyId: string,
    readonly knownKeyIds: readonly string[],
  ) {
    super(
      `A payload is encrypted with key "${keyId}", which this process does not have (it has: ${knownKeyIds.join(', ') || 'none'}). ` +
        `Add "${keyId}:<base64 key>" to LPA_CODEC_KEYS: keep retired keys for decoding after a rotation.`,
    );
    this.name = 'UnknownEncryptionKeyError';
  }
}

/** AES-GCM authentication failed: the key with that id is not the one that encrypted it, or the payload was altered. */
export class PayloadDecryptionError extends Error {
  constructor(
    readonly keyId: string,
    readonly reason: string,
  ) {
    super(
      `Cannot decrypt a payload encrypted with key "${keyId}": ${reason}. The key "${keyId}" in LPA_CODEC_KEYS is not the key ` +
        'that encrypted it (check the key bytes for that id on every worker, starter and codec server), or the payload was altered.',
    );
    this.name = 'PayloadDecryptionError';
  }
}
