import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { ItemTamperedError } from './errors';

/**
 * Items up to this size are written with one Put Blob from memory (simple, one round trip); larger ones are
 * uploaded block by block so the worker never holds a whole item.
 */
export const STREAMING_THRESHOLD_BYTES = 8 * 1024 * 1024;

/**
 * Size of one staged block. Memory per streaming upload stays around two blocks (one uploading, one being
 * read); Azure allows 50,000 blocks per blob, so items up to ~195 GiB fit.
 */
export const BLOCK_SIZE_BYTES = 4 * 1024 * 1024;

/** What a streaming write accepts: a Node stream or any (async) iterable of byte chunks. */
export type ItemSource = Readable | AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

/**
 * Block buffers for one upload, reused once their block is staged. V8 collects large buffers lazily (it lets
 * tens of MB of external memory pile up before a GC), so fresh 4 MiB buffers per block would grow the RSS
 * by far more than the few blocks actually in use.
 */
export class BlockPool {
  private readonly free: Buffer[] = [];
  /**
   * @param maxFree blocks kept for reuse at most; more released blocks are left to the GC. One pool can serve
   *   many uploads in turn (and several at once): a page of small items then reuses one block instead of
   *   allocating 4 MiB per item.
   */
  constructor(
    readonly blockSize: number,
    private readonly maxFree = Infinity,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.blockSize);
  }

  /** Returns a block (or a view of one) whose bytes are no longer needed. */
  release(block: Buffer): void {
    if (this.free.length < this.maxFree && block.buffer.byteLength >= this.blockSize && block.byteOffset === 0)
      this.free.push(Buffer.from(block.buffer, 0, this.blockSize));
  }
}

/**
 * Re-cuts a stream of chunks of any size into blocks of exactly `pool.blockSize` bytes (the last may be
 * shorter). Each byte is copied once into a block from the pool, so a yielded block never pins a caller's
 * chunk; the consumer gives each block back with `pool.release` when done with it.
 */
export async function* fixedBlocks(source: ItemSource, pool: BlockPool): AsyncGenerator<Buffer> {
  const blockSize = pool.blockSize;
  let block = pool.take();
  let filled = 0;
  for await (const chunk of source as AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (let offset = 0; offset < buf.length;) {
      const n = Math.min(blockSize - filled, buf.length - offset);
      block.set(buf.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === blockSize) {
        yield block;
        block = pool.take();
        filled = 0;
      }
    }
  }
  if (filled > 0) yield block.subarray(0, filled);
  else pool.release(block);
}

/** Block ids must have equal length within a blob; a per-upload random part keeps racing attempts apart. */
export function blockId(uploadId: string, index: number): string {
  return Buffer.from(`${uploadId}-${String(index).padStart(6, '0')}`, 'utf8').toString('base64');
}

/**
 * A pass-through that hashes what flows through it and, at the end, fails with ItemTamperedError if the
 * bytes do not hash to `expectedSha256`. The error arrives only after the last chunk, so a consumer must not
 * act on the bytes (import, forward, delete a source) until the stream has ended without error.
 */
export function verifyingStream(itemName: string, expectedSha256: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      if (actual !== expectedSha256) {
        callback(new ItemTamperedError(itemName, expectedSha256, actual));
        return;
      }
      callback();
    },
  });
}
