import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  CodecConfigError,
  EncryptionCodec,
  ENCRYPTED_ENCODING,
  METADATA_KEY_ID,
  PayloadDecryptionError,
  UnknownEncryptionKeyError,
  dataConverterFromEnv,
  encryptionStatusLine,
  keyRingFromEnv,
  parseKeyRing,
} from '../../src/codec';
import { testKey } from './keys';

const meta = (p: Payload, key: string): string | undefined => {
  const v = p.metadata?.[key];
  return v ? Buffer.from(v).toString('utf8') : undefined;
};

const SECRET_TEXT = { connector: 'acme-compliance', note: 'Dear jane.doe@example.com, your refund is approved' };

describe('EncryptionCodec (AES-256-GCM, key id in the payload metadata)', () => {
  const k1 = testKey('k1');
  const k2 = testKey('k2');

  it('round-trips a payload, and the encoded form carries the key id but no readable plaintext', async () => {
    const codec = new EncryptionCodec(parseKeyRing(k1, 'k1'));
    const plain = defaultPayloadConverter.toPayload(SECRET_TEXT);
    const [encoded] = await codec.encode([plain]);
    expect(meta(encoded!, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(encoded!, METADATA_KEY_ID)).toBe('k1');
    const wire = Buffer.from(encoded!.data!).toString('latin1');
    expect(wire).not.toContain('acme-compliance');
    expect(wire).not.toContain('jane.doe');
    expect(wire).not.toContain('json/plain'); // the original metadata is inside the ciphertext too
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(SECRET_TEXT);
  });

  it('uses a fresh IV each time: the same value never encrypts to the same bytes', async () => {
    const codec = new EncryptionCodec(parseKeyRing(k1, 'k1'));
    const plain = defaultPayloadConverter.toPayload('same');
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('leaves payloads that are not encrypted alone when decoding, and does not encrypt twice', async () => {
    const codec = new EncryptionCodec(parseKeyRing(k1, 'k1'));
    const plain = defaultPayloadConverter.toPayload({ a: 1 });
    expect(await codec.decode([plain])).toEqual([plain]);
    const [once] = await codec.encode([plain]);
    expect(await codec.encode([once!])).toEqual([once]);
  });

  it('refuses a payload whose key it lacks, naming the key id and the fix', async () => {
    const [encoded] = await new EncryptionCodec(parseKeyRing(k1, 'k1')).encode([defaultPayloadConverter.toPayload('x')]);
    const other = new EncryptionCodec(parseKeyRing(k2, 'k2'));
    const err = await other.decode([encoded!]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownEncryptionKeyError);
    expect((err as UnknownEncryptionKeyError).keyId).toBe('k1');
    expect((err as Error).message).toMatch(/key "k1".*it has: k2.*LPA_CODEC_KEYS/s);
  });

  it('refuses a payload when the key under that id is the wrong key, naming the key id', async () => {
    const [encoded] = await new EncryptionCodec(parseKeyRing(k1, 'k1')).encode([defaultPayloadConverter.toPayload('x')]);
    const wrongBytes = new EncryptionCodec(parseKeyRing(testKey('k1'), 'k1'));
    const err = await wrongBytes.decode([encoded!]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadDecryptionError);
    expect((err as Error).message).toMatch(/key "k1": authentication failed/);
    expect((err as Error).message).not.toContain(k1.split(':')[1]);
  });

  it('detects tampering and relabelling with another key id', async () => {
    const ring = parseKeyRing(`${k1},${k2}`, 'k1');
    const codec = new EncryptionCodec(ring);
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const flipped = Buffer.from(encoded!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.decode([{ ...encoded!, data: flipped }])).rejects.toThrow(PayloadDecryptionError);
    const relabelled = { ...encoded!, metadata: { ...encoded!.metadata, [METADATA_KEY_ID]: Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/key "k2": authentication failed/);
  });

  it('rotates: after switching the active key to k2, old k1 payloads still decode and new ones use k2', async () => {
    const before = new EncryptionCodec(parseKeyRing(k1, 'k1'));
    const [old] = await before.encode([defaultPayloadConverter.toPayload('written before rotation')]);
    const after = new EncryptionCodec(keyRingFromEnv({ LPA_CODEC_KEYS: `${k1},${k2}`, LPA_CODEC_ACTIVE_KEY: 'k2' })!);
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload('written after rotation')]);
    expect(meta(fresh!, METADATA_KEY_ID)).toBe('k2');
    const decoded = await after.decode([old!, fresh!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['written before rotation', 'written after rotation']);
  });
});

describe('key ring from the environment', () => {
  it('is absent when no key variable is set: plain payloads, and the status line says so', () => {
    expect(keyRingFromEnv({})).toBeUndefined();
    expect(dataConverterFromEnv({})).toEqual({});
    expect(encryptionStatusLine({})).toMatch(/NOT encrypted.*LPA_CODEC_KEYS/);
  });

  it('takes the only key as active, and with keys gives a codec and an encrypting failure converter', () => {
    const env = { LPA_CODEC_KEYS: testKey('prod-2026') };
    expect(keyRingFromEnv(env)?.activeKeyId).toBe('prod-2026');
    const dc = dataConverterFromEnv(env);
    expect(dc.payloadCodecs).toHaveLength(1);
    expect(dc.failureConverterPath).toMatch(/failure-converter/);
    expect(encryptionStatusLine(env)).toMatch(/encrypted with AES-256-GCM, key "prod-2026"/);
  });

  it.each([
    [{ LPA_CODEC_ACTIVE_KEY: 'k1' }, /LPA_CODEC_ACTIVE_KEY: is set but LPA_CODEC_KEYS/],
    [{ LPA_CODEC_KEYS: 'k1' }, /entry 1 is not "keyId:base64key"/],
    [{ LPA_CODEC_KEYS: 'k1:c2hvcnQ=' }, /key "k1" must be 32 random bytes in base64/],
    [{ LPA_CODEC_KEYS: `${testKey('k1')},${testKey('k1')}` }, /key id "k1" appears twice/],
    [{ LPA_CODEC_KEYS: `${testKey('k1')},${testKey('k2')}` }, /LPA_CODEC_ACTIVE_KEY: is not set and LPA_CODEC_KEYS holds 2 keys/],
    [{ LPA_CODEC_KEYS: testKey('k1'), LPA_CODEC_ACTIVE_KEY: 'k9' }, /names key "k9", which LPA_CODEC_KEYS does not hold \(it has: k1\)/],
    [{ LPA_CODEC_KEYS: ' , ' }, /holds no key/],
    [{ LPA_CODEC_KEYS: testKey('k1'), LPA_CODEC_KEYS_FILE: '/x' }, /both set/],
    [{ LPA_CODEC_KEYS_FILE: '/nonexistent/lpa-keys' }, /LPA_CODEC_KEYS_FILE: cannot read \/nonexistent\/lpa-keys \(ENOENT\)/],
  ])('refuses a half-done or malformed configuration instead of writing plain text (%#)', (env, message) => {
    expect(() => keyRingFromEnv(env)).toThrow(CodecConfigError);
    expect(() => keyRingFromEnv(env)).toThrow(message);
  });

  it('never quotes key material in its errors', () => {
    const bad = 'k1:' + Buffer.alloc(31, 7).toString('base64');
    expect(() => keyRingFromEnv({ LPA_CODEC_KEYS: bad })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(bad.slice(3)) }),
    );
  });
});
