import { CRLF } from './header-encoding';

/** Raw bytes per 76-character base64 line (RFC 2045). */
const LINE_BYTES = 57;
const LINE_CHARS = 76;
/** Bytes encoded per step when writing into a buffer: small strings, no copy of the whole body. */
const BLOCK_LINES = 1024;
const [CR, LF] = [13, 10] as const;

/** Base64 in 76-character lines joined by CRLF (RFC 2045), so no body line comes near the 998 limit. */
export function base64Lines(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE_CHARS) lines.push(b64.slice(i, i + LINE_CHARS));
  return lines.join(CRLF);
}

/** Length of the base64 of `byteLength` bytes, without line breaks. */
export function base64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}

/** The base64 of `bytes` in strings of `blockBytes` source bytes (a multiple of 3, so the strings join up). */
function* base64Blocks(bytes: Uint8Array, blockBytes: number): Generator<string> {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0; start < source.length; start += blockBytes) yield source.subarray(start, start + blockBytes).toString('base64');
}

/**
 * Writes the base64 of `bytes` (no line breaks, as in a JSON string) into `target` at `offset` a block at a
 * time, so a large file never exists as one base64 string. Returns the offset after the last byte written.
 */
export function writeBase64(target: Buffer, offset: number, bytes: Uint8Array): number {
  let at = offset;
  for (const b64 of base64Blocks(bytes, LINE_BYTES * BLOCK_LINES)) at += target.write(b64, at, 'latin1');
  return at;
}

/** Length in bytes of {@link base64Lines} of `byteLength` bytes. */
export function base64LinesLength(byteLength: number): number {
  const chars = base64Length(byteLength);
  const lines = Math.ceil(chars / LINE_CHARS);
  return chars + (lines > 0 ? (lines - 1) * CRLF.length : 0);
}

/** Where a block's base64 is written before it is cut into lines (one block at most; reused, never shared across an await). */
let scratch: Buffer | undefined;

/**
 * Writes {@link base64Lines} of `bytes` into `target` at `offset` a block of lines at a time, so a large
 * attachment never exists as one base64 string. Each block's base64 goes into a scratch buffer in one write and
 * its lines are copied from there: two native writes per 76-character line cost more than the encoding.
 * Returns the offset after the last byte written.
 */
export function writeBase64Lines(target: Buffer, offset: number, bytes: Uint8Array): number {
  scratch ??= Buffer.allocUnsafe(base64Length(LINE_BYTES * BLOCK_LINES));
  const block = scratch;
  let at = offset;
  for (const b64 of base64Blocks(bytes, LINE_BYTES * BLOCK_LINES)) {
    const n = block.write(b64, 0, 'latin1');
    for (let i = 0; i < n; i += LINE_CHARS) {
      if (at > offset) {
        target[at++] = CR;
        target[at++] = LF;
      }
      const end = Math.min(i + LINE_CHARS, n);
      target.set(block.subarray(i, end), at);
      at += end - i;
    }
  }
  return at;
}
