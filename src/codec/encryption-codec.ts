import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PayloadDecryptionError, UnknownEncryptionKeyError } from './errors';
import type { KeyRing } from './key-ring';

/** Metadata of an encrypted payload: the Web UI and `temporal workflow show` display these as they are. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_ENCODING = 'encoding';
export const METADATA_KEY_ID = 'encryption-key-id';
export const METADATA_CIPHER = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM';

const IV_BYTES = 12;
const TAG_BYTES = 16;

const ProtoPayload = temporal.api.common.v1.Payload;
const text = (bytes: Uint8Array | null | undefined): string | undefined => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * Encrypts each whole payload (metadata and data, proto-serialised) with AES-256-GCM under the ring's
 * active key; the key id travels in the metadata, so any key still in the ring decrypts it. The key id is
 * also the GCM additional data: relabelling a payload with another id fails authentication.
 * Runs worker- and client-side (not in the workflow sandbox), so Node crypto is fine.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  /** Id of the key new payloads are encrypted with. */
  get activeKeyId(): string {
    return this.ring.activeKeyId;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    // A failure must reject, not throw synchronously: callers chain these promises.
    return Promise.resolve().then(() => payloads.map((p) => (isEncrypted(p) ? p : this.encrypt(p))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((p) => (isEncrypted(p) ? this.decrypt(p) : p)));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.ring.activeKeyId;
    const key = this.ring.keys.get(keyId);
    if (!key) throw new UnknownEncryptionKeyError(keyId, [...this.ring.keys.keys()]);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const plain = ProtoPayload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING]: Buffer.from(ENCRYPTED_ENCODING),
        [METADATA_KEY_ID]: Buffer.from(keyId),
        [METADATA_CIPHER]: Buffer.from(CIPHER),
      },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    if (!keyId) throw new PayloadDecryptionError('(none)', `its metadata lacks "${METADATA_KEY_ID}"`);
    const key = this.ring.keys.get(keyId);
    if (!key) throw new UnknownEncryptionKeyError(keyId, [...this.ring.keys.keys()]);
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    if (sealed.length < IV_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError(keyId, `it is ${sealed.length} bytes, too short to be AES-GCM output`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(keyId, 'authentication failed');
    }
    return ProtoPayload.decode(plain);
  }
}

/** True when the payload was written by {@link EncryptionCodec}. */
export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING]) === ENCRYPTED_ENCODING;
}
