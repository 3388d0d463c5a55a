import { createHash } from 'node:crypto';
import { SeededRandom } from '../../shared/random';

/** Deterministic content of a hosted file: its size (1 KB – 5 MB) and bytes follow from its path alone. */
export function fileSize(relativePath: string): number {
  const h = createHash('sha256').update(relativePath).digest();
  const min = 1024;
  const max = 5 * 1024 * 1024;
  // Most files are small; one in eight is large, so big attachments get exercised without slowing everything.
  const big = (h[0] ?? 0) % 8 === 0;
  const n = h.readUInt32BE(1);
  return big ? min + (n % (max - min)) : min + (n % (200 * 1024));
}

export function fileBytes(relativePath: string): Buffer {
  const size = fileSize(relativePath);
  const seed = createHash('sha256').update(relativePath).digest().readUInt32BE(5);
  const rnd = new SeededRandom(seed);
  const block = Buffer.alloc(Math.min(size, 64 * 1024));
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((rnd.next() * 4294967296) >>> 0, Math.min(i, block.length - 4));
  const out = Buffer.alloc(size);
  for (let off = 0, round = 0; off < size; off += block.length, round++) {
    block.copy(out, off, 0, Math.min(block.length, size - off));
    out[off] = round & 0xff; // blocks differ, so a truncated or reordered download changes the hash
  }
  return out;
}

const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
};

export function fileContentType(relativePath: string): string {
  const ext = relativePath.split('.').pop()?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}
