import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobServiceClient } from '@azure/storage-blob';
import {
  BLOCK_SIZE_BYTES,
  BlobStaging,
  ItemConflictError,
  ItemSourceError,
  ItemTamperedError,
  sha256Hex,
  STREAMING_THRESHOLD_BYTES,
} from '../../src/storage';
import { BlockPool, fixedBlocks } from '../../src/storage/streaming';
import { testServices, uniqueId } from '../setup/services';

const { azuriteConnectionString } = testServices();
const staging = new BlobStaging({
  kind: 'connection-string',
  connectionString: azuriteConnectionString,
  containerPrefix: `${uniqueId('s')}-`,
});
const raw = (name: string) =>
  BlobServiceClient.fromConnectionString(azuriteConnectionString).getContainerClient(staging.containers.items).getBlockBlobClient(name);
const meta = { connector: 'demo', conversationid: 'c-big', version: '1' };

/** Over the threshold, and not a multiple of the block size, so the last block is short. */
const LARGE = STREAMING_THRESHOLD_BYTES + BLOCK_SIZE_BYTES / 2 + 123;
const large = randomBytes(LARGE);

/** Hands `bytes` over in uneven chunks, as a network stream would. */
async function* chunked(bytes: Buffer, chunk = 700_001): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += chunk) {
    yield bytes.subarray(i, i + chunk);
    await Promise.resolve();
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  await staging.ensureContainers();
});

describe('fixedBlocks', () => {
  it('re-cuts chunks of any size into full blocks and a short last one, keeping every byte in order', async () => {
    const bytes = randomBytes(10_000);
    const pool = new BlockPool(4096);
    const blocks: Buffer[] = [];
    for await (const b of fixedBlocks(chunked(bytes, 777), pool)) blocks.push(Buffer.from(b));
    expect(blocks.map((b) => b.length)).toEqual([4096, 4096, 1808]);
    expect(Buffer.concat(blocks).equals(bytes)).toBe(true);
  });

  it('accepts strings and Uint8Arrays as chunks', async () => {
    const blocks: Buffer[] = [];
    for await (const b of fixedBlocks(Readable.from(['ab', new Uint8Array([99, 100])], { objectMode: true }), new BlockPool(3)))
      blocks.push(Buffer.from(b));
    expect(Buffer.concat(blocks).toString()).toBe('abcd');
  });
});

describe('BlockPool', () => {
  it('hands released blocks out again (views of a block included), keeping at most maxFree of them', () => {
    const pool = new BlockPool(64 * 1024, 2);
    const [a, b, c] = [pool.take(), pool.take(), pool.take()];
    pool.release(a.subarray(0, 10)); // the short last block of an item is a view of its block
    pool.release(b);
    pool.release(c); // over maxFree: left to the GC
    const again = new Set([pool.take().buffer, pool.take().buffer]);
    expect(again.has(a.buffer) && again.has(b.buffer)).toBe(true);
    const fresh = pool.take().buffer;
    expect(fresh !== a.buffer && fresh !== b.buffer && fresh !== c.buffer).toBe(true);
  });
});

describe('putItemOnceFromStream (sealed, streamed in blocks)', () => {
  it('stages a large item as blocks and commits it once with its sha256 in the metadata', async () => {
    const staged = await staging.putItemOnceFromStream('acct/c-big/1.eml', chunked(large), meta);
    expect(staged).toEqual({ name: 'acct/c-big/1.eml', sha256: sha256Hex(large), size: LARGE, status: 'created' });

    const blocks = await raw('acct/c-big/1.eml').getBlockList('committed');
    expect(blocks.committedBlocks?.map((b) => b.size)).toEqual([BLOCK_SIZE_BYTES, BLOCK_SIZE_BYTES, LARGE - 2 * BLOCK_SIZE_BYTES]);
    const properties = await raw('acct/c-big/1.eml').getProperties();
    expect(properties.metadata).toMatchObject({ ...meta, sha256: sha256Hex(large) });
    expect(properties.contentType).toBe('message/rfc822');
  });

  it('re-running the same item reports "exists", leaves one blob and uploads nothing again', async () => {
    const again = await staging.putItemOnceFromStream('acct/c-big/1.eml', Readable.from(chunked(large)), meta);
    expect(again).toEqual({ name: 'acct/c-big/1.eml', sha256: sha256Hex(large), size: LARGE, status: 'exists' });
    expect(await staging.list('items', 'acct/c-big/')).toEqual(['acct/c-big/1.eml']);
    const uncommitted = await raw('acct/c-big/1.eml').getBlockList('uncommitted');
    expect(uncommitted.uncommittedBlocks ?? []).toHaveLength(0);
  });

  it('a second write of the same name with other bytes is an ItemConflictError and the original stays', async () => {
    const other = Buffer.from(large);
    other[LARGE - 1] = (other[LARGE - 1]! + 1) % 256;
    const attempt = staging.putItemOnceFromStream('acct/c-big/1.eml', chunked(other), meta);
    await expect(attempt).rejects.toBeInstanceOf(ItemConflictError);
    await expect(attempt).rejects.toMatchObject({ existingSha256: sha256Hex(large), newSha256: sha256Hex(other) });
    expect(await staging.verifyItem('acct/c-big/1.eml')).toMatchObject({ sha256: sha256Hex(large), size: LARGE });
  });

  it('racing streamed writes of one item create it exactly once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => staging.putItemOnceFromStream('acct/race-big/1.eml', chunked(large), meta)));
    expect(results.map((r) => r.status).sort()).toEqual(['created', 'exists', 'exists']);
    expect((await collect((await staging.openItemStream('acct/race-big/1.eml')).stream)).equals(large)).toBe(true);
  });

  it('writes a source at or under the threshold with a single Put Blob', async () => {
    const small = randomBytes(1000);
    const staged = await staging.putItemOnceFromStream('acct/c-small/1.eml', chunked(small, 64), meta);
    expect(staged).toMatchObject({ sha256: sha256Hex(small), size: 1000, status: 'created' });
    const blocks = await raw('acct/c-small/1.eml').getBlockList('committed');
    expect(blocks.committedBlocks ?? []).toHaveLength(0);
    expect((await staging.readItem('acct/c-small/1.eml')).bytes.equals(small)).toBe(true);
  });

  it('a source that fails midway is an ItemSourceError, commits nothing, and a retry seals the item', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield* chunked(large.subarray(0, STREAMING_THRESHOLD_BYTES + BLOCK_SIZE_BYTES));
      throw new Error('connection reset by peer');
    }
    const attempt = staging.putItemOnceFromStream('acct/c-fail/1.eml', failing(), meta);
    await expect(attempt).rejects.toBeInstanceOf(ItemSourceError);
    await expect(attempt).rejects.toThrow(/connection reset by peer/);
    expect(await staging.exists('items', 'acct/c-fail/1.eml')).toBe(false);

    const retry = await staging.putItemOnceFromStream('acct/c-fail/1.eml', chunked(large), meta);
    expect(retry.status).toBe('created');
    expect((await staging.verifyItem('acct/c-fail/1.eml')).sha256).toBe(sha256Hex(large));
  });

  it('seals a working blob streamed from the work container (the stage path for large messages)', async () => {
    await staging.putText('work', 'demo/w/page-00001.c-big.eml', large.toString('latin1'));
    const source = await staging.openBlobStream('work', 'demo/w/page-00001.c-big.eml');
    const staged = await staging.putItemOnceFromStream('acct/c-work/1.eml', source, meta);
    const expected = Buffer.from(large.toString('latin1'), 'utf8');
    expect(staged).toMatchObject({ sha256: sha256Hex(expected), size: expected.length, status: 'created' });
  });
});

describe('openItemStream (verified while streaming)', () => {
  it('streams the exact bytes of a large item and checks them against the seal', async () => {
    const opened = await staging.openItemStream('acct/c-big/1.eml');
    expect(opened).toMatchObject({ size: LARGE, sha256: sha256Hex(large), metadata: expect.objectContaining(meta) });
    expect((await collect(opened.stream)).equals(large)).toBe(true);
  });

  it('errors at the end with ItemTamperedError when the stored bytes were altered behind its back', async () => {
    await staging.putItemOnceFromStream('acct/c-forged/1.eml', chunked(large), meta);
    const forged = Buffer.from(large);
    forged[5] = (forged[5]! + 1) % 256;
    // Someone with write access replaces the bytes and copies the old seal.
    await raw('acct/c-forged/1.eml').uploadData(forged, { metadata: { ...meta, sha256: sha256Hex(large) } });

    const opened = await staging.openItemStream('acct/c-forged/1.eml');
    await expect(collect(opened.stream)).rejects.toMatchObject({
      name: 'ItemTamperedError',
      expectedSha256: sha256Hex(large),
      actualSha256: sha256Hex(forged),
    });
    await expect(staging.verifyItem('acct/c-forged/1.eml')).rejects.toBeInstanceOf(ItemTamperedError);
    await expect(staging.readItem('acct/c-forged/1.eml')).rejects.toBeInstanceOf(ItemTamperedError);
  });

  it('refuses at once an item whose seal was removed', async () => {
    await staging.putItemOnce('acct/c-unsealed/1.eml', Buffer.from('x'), meta);
    await raw('acct/c-unsealed/1.eml').setMetadata({ connector: 'demo' });
    await expect(staging.openItemStream('acct/c-unsealed/1.eml')).rejects.toBeInstanceOf(ItemTamperedError);
  });

  it('a consumer that stops early closes the stream without an error', async () => {
    const opened = await staging.openItemStream('acct/c-big/1.eml');
    let first: Buffer | undefined;
    for await (const chunk of opened.stream) {
      first = chunk as Buffer;
      break;
    }
    expect(first!.equals(large.subarray(0, first!.length))).toBe(true);
    expect(opened.stream.destroyed).toBe(true);
    expect((await staging.verifyItem('acct/c-big/1.eml')).size).toBe(LARGE);
  });

  it('a missing item is BlobNotFoundError', async () => {
    await expect(staging.openItemStream('acct/none/1.eml')).rejects.toMatchObject({ name: 'BlobNotFoundError' });
  });
});
