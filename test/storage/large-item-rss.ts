/**
 * Run by large-item-memory.test.ts in a process of its own, so that its RSS is this item's and not the garbage of
 * whatever test files ran before in a jest worker: stages a generated 150 MB item from a stream, reads it back, and
 * prints one JSON line (what was staged, the hashes, RSS baseline and peak).
 * Args: <azurite connection string> <container prefix>.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { BlobStaging } from '../../src/storage';

const ITEM_BYTES = 150 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

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

async function main(): Promise<void> {
  const [connectionString, containerPrefix] = process.argv.slice(2);
  if (!connectionString || !containerPrefix) throw new Error('usage: large-item-rss.ts <connection string> <container prefix>');
  const staging = new BlobStaging({ kind: 'connection-string', connectionString, containerPrefix });
  await staging.ensureContainers();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const sourceHash = createHash('sha256');
  const staged = await staging.putItemOnceFromStream('acct/big/1.eml', generatedItem(ITEM_BYTES, sourceHash), {
    conversationid: 'big',
    version: '1',
  });
  const opened = await staging.openItemStream('acct/big/1.eml');
  const readHash = createHash('sha256');
  let read = 0;
  for await (const chunk of opened.stream) {
    readHash.update(chunk as Buffer);
    read += (chunk as Buffer).length;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  clearInterval(sampler);
  await staging.cleanupStaged({ olderThanDays: 0, kinds: ['items'], now: new Date(Date.now() + 60_000) });
  const out = {
    staged,
    sourceSha256: sourceHash.digest('hex'),
    openedSize: opened.size,
    read,
    readSha256: readHash.digest('hex'),
    baseline,
    peak,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
