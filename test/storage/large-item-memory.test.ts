import { createHash, randomFillSync } from 'node:crypto';
import { BlobStaging } from '../../src/storage';
import { testServices, uniqueId } from '../setup/services';

/**
 * Acceptance: a 150 MB item is staged and read back while the process's RSS grows by less than 64 MB.
 * The item is generated chunk by chunk (never a 150 MB Buffer) and hashed on the fly on both sides.
 */
const ITEM_BYTES = 150 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const RSS_BUDGET_BYTES = 64 * 1024 * 1024;

const { azuriteConnectionString } = testServices();
const staging = new BlobStaging({
  kind: 'connection-string',
  connectionString: azuriteConnectionString,
  containerPrefix: `${uniqueId('m')}-`,
});

/** Pseudo-random 1 MiB chunks, each a fresh buffer (as a network or file stream would hand them over). */
async function* generatedItem(totalBytes: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for (let sent = 0; sent < totalBytes; sent += CHUNK_BYTES) {
    const chunk = randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK_BYTES, totalBytes - sent)));
    hash.update(chunk);
    yield chunk;
    // Let the sampler and I/O run between chunks, like a real stream.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

beforeAll(async () => {
  await staging.ensureContainers();
});

afterAll(async () => {
  await staging.cleanupStaged({ olderThanDays: 0, kinds: ['items'], now: new Date(Date.now() + 60_000) });
});

it('stages a 150 MB item from a stream and reads it back verified, with RSS growing by less than 64 MB', async () => {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const sourceHash = createHash('sha256');
    const staged = await staging.putItemOnceFromStream('acct/big/1.eml', generatedItem(ITEM_BYTES, sourceHash), {
      conversationid: 'big',
      version: '1',
    });
    const expected = sourceHash.digest('hex');
    expect(staged).toEqual({ name: 'acct/big/1.eml', sha256: expected, size: ITEM_BYTES, status: 'created' });

    const opened = await staging.openItemStream('acct/big/1.eml');
    expect(opened.size).toBe(ITEM_BYTES);
    const readHash = createHash('sha256');
    let read = 0;
    for await (const chunk of opened.stream) {
      readHash.update(chunk as Buffer);
      read += (chunk as Buffer).length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(read).toBe(ITEM_BYTES);
    expect(readHash.digest('hex')).toBe(expected);
  } finally {
    clearInterval(sampler);
  }
  const growth = peak - baseline;
  console.log(
    `150 MB item: RSS baseline ${(baseline / 2 ** 20).toFixed(1)} MiB, peak ${(peak / 2 ** 20).toFixed(1)} MiB, growth ${(growth / 2 ** 20).toFixed(1)} MiB`,
  );
  expect(growth).toBeLessThan(RSS_BUDGET_BYTES);
}, 60_000);
