import { randomBytes } from 'node:crypto';

/** A fresh `keyId:base64key` entry and its id, for LPA_CODEC_KEYS in tests. */
export function testKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
