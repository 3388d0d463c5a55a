import { createHash, randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { importMessageFromItem } from '../../src/pipeline/import-message';
import { conversationToEml } from '../../src/convert';
import { fixture } from '../convert/fixtures';

/** A file large enough to span many stream chunks and the base64 writer's 1,024-line blocks. */
const LARGE = randomBytes(3 * 1024 * 1024 + 17);

function sealedItem(): Buffer {
  const f = fixture('04-files-attached');
  const files = [...f.files, { relativePath: '/large.bin', fileName: 'large.bin', contentType: 'application/octet-stream', bytes: LARGE }];
  return conversationToEml(f.conversation, { files, sourceRecord: f.sourceRecord ?? { fixture: '04' } }).eml;
}

/** The item as the blob store delivers it: 64 KiB chunks. */
function chunked(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536));
  return Readable.from(chunks);
}

describe('the Graph create built from a sealed item', () => {
  const eml = sealedItem();

  it('is the same from a stream of the item as from its bytes, large attachment included byte for byte', async () => {
    const fromBytes = await importMessageFromItem(eml, 'key-1');
    const fromStream = await importMessageFromItem(chunked(eml), 'key-1');
    // Attachments compared by digest: a deep compare of megabytes byte by byte takes jest seconds.
    const digested = (m: typeof fromBytes) => ({
      ...m,
      attachments: m.attachments.map((a) => ({ ...a, bytes: createHash('sha256').update(a.bytes).digest('hex') })),
    });
    expect(digested(fromStream)).toEqual(digested(fromBytes));
    expect(fromStream.attachments.map((a) => a.name)).toEqual([
      ...fixture('04-files-attached').files.map((f) => f.fileName),
      'large.bin',
      expect.stringMatching(/\.json$/),
    ]);
    const large = fromStream.attachments.find((a) => a.name === 'large.bin');
    expect(large && Buffer.compare(Buffer.from(large.bytes), LARGE)).toBe(0);
    expect(fromStream.importKey).toBe('key-1');
  });

  it('is the same whatever size the store announced for the stream', async () => {
    const fromBytes = await importMessageFromItem(eml, 'key-3');
    for (const announced of [eml.length, eml.length - 1000, eml.length + 1000, 0]) {
      const msg = await importMessageFromItem(chunked(eml), 'key-3', announced);
      expect(msg.attachments.map((a) => createHash('sha256').update(a.bytes).digest('hex'))).toEqual(
        fromBytes.attachments.map((a) => createHash('sha256').update(a.bytes).digest('hex')),
      );
      expect({ ...msg, attachments: [] }).toEqual({ ...fromBytes, attachments: [] });
    }
  });

  it('is refused when the stream fails at its end (a broken seal), with that error, not a partial message', async () => {
    class SealBroken extends Error {
      override readonly name = 'ItemTamperedError';
    }
    const failAtEnd = new Transform({
      transform(chunk, _enc, done) {
        done(null, chunk);
      },
      flush(done) {
        done(new SealBroken('sha256 differs from the seal'));
      },
    });
    await expect(importMessageFromItem(chunked(eml).pipe(failAtEnd), 'key-2')).rejects.toBeInstanceOf(SealBroken);
  });
});
