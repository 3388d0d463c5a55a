import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { CodecConfigError } from './errors';

/** AES-256 needs exactly 32 key bytes. */
export const KEY_BYTES = 32;

/** Environment variables that configure payload encryption. */
export const CODEC_ENV = {
  /** `keyId:base64key` pairs, comma- or newline-separated; every key decodes. */
  keys: 'LPA_CODEC_KEYS',
  /** A file holding the same list (a mounted secret, or the local stack's generated key). */
  keysFile: 'LPA_CODEC_KEYS_FILE',
  /** Id of the key that encrypts new payloads; optional when there is exactly one key. */
  activeKey: 'LPA_CODEC_ACTIVE_KEY',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** The keys a process holds: one encrypts, all decrypt (so payloads written before a rotation stay readable). */
export interface KeyRing {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses `id:base64,id2:base64` (commas or newlines; `#` starts a comment line) into a key ring.
 * @param source names the variable or file in error messages
 * @throws CodecConfigError naming the key id and the problem, never the key itself
 */
export function parseKeyRing(spec: string, activeKeyId: string | undefined, source: string = CODEC_ENV.keys): KeyRing {
  const keys = new Map<string, Buffer>();
  const entries = spec
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '' && !e.startsWith('#'));
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    if (colon < 0) throw new CodecConfigError(source, `entry ${index + 1} is not "keyId:base64key" (no colon)`);
    const id = entry.slice(0, colon).trim();
    const material = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) throw new CodecConfigError(source, `entry ${index + 1}: key id must be 1-64 letters, digits, ".", "_" or "-"`);
    if (keys.has(id)) throw new CodecConfigError(source, `key id "${id}" appears twice`);
    const bytes = BASE64.test(material) ? Buffer.from(material, 'base64') : undefined;
    if (bytes?.length !== KEY_BYTES) {
      throw new CodecConfigError(source, `key "${id}" must be ${KEY_BYTES} random bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
    }
    keys.set(id, bytes);
  }
  if (keys.size === 0)
    throw new CodecConfigError(source, 'is set but holds no key; give "keyId:base64key", or unset it to run without encryption');
  const active = activeKeyId?.trim() || (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (active === undefined) {
    throw new CodecConfigError(
      CODEC_ENV.activeKey,
      `is not set and ${source} holds ${keys.size} keys: name the one that encrypts new payloads`,
    );
  }
  if (!keys.has(active)) {
    throw new CodecConfigError(
      CODEC_ENV.activeKey,
      `names key "${active}", which ${source} does not hold (it has: ${[...keys.keys()].join(', ')})`,
    );
  }
  return { activeKeyId: active, keys };
}

/**
 * The key ring from LPA_CODEC_KEYS or LPA_CODEC_KEYS_FILE (and LPA_CODEC_ACTIVE_KEY); undefined when
 * neither is set (payloads are then not encrypted). A half-done configuration is an error, never plain text.
 */
export function keyRingFromEnv(env: Env = process.env): KeyRing | undefined {
  const inline = env[CODEC_ENV.keys];
  const file = env[CODEC_ENV.keysFile];
  const active = env[CODEC_ENV.activeKey];
  if (inline && file) throw new CodecConfigError(CODEC_ENV.keys, `and ${CODEC_ENV.keysFile} are both set; set only one`);
  if (inline) return parseKeyRing(inline, active, CODEC_ENV.keys);
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new CodecConfigError(
        CODEC_ENV.keysFile,
        `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    return parseKeyRing(text, active, `${CODEC_ENV.keysFile} (${file})`);
  }
  if (active)
    throw new CodecConfigError(CODEC_ENV.activeKey, `is set but ${CODEC_ENV.keys} (or ${CODEC_ENV.keysFile}) is not: give the keys`);
  return undefined;
}

/** A new `keyId:base64key` entry with a random key, for LPA_CODEC_KEYS or a keys file. */
export function generateKeyEntry(keyId: string): string {
  if (!KEY_ID.test(keyId)) throw new CodecConfigError('keyId', 'must be 1-64 letters, digits, ".", "_" or "-"');
  return `${keyId}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
