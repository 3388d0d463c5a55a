import { BlobServiceClient } from '@azure/storage-blob';
import {
  BlobContentError,
  BlobNotFoundError,
  BlobStaging,
  ContainerMissingError,
  InvalidBlobNameError,
  InvalidMetadataError,
  ItemConflictError,
  ItemTamperedError,
  sha256Hex,
  StorageConfigError,
  StorageUnavailableError,
} from '../../src/storage';
import { testServices, uniqueId } from '../setup/services';
import { findFreePort } from '../../scripts/lib/ports';

const { azuriteConnectionString } = testServices();
const prefix = `${uniqueId('t')}-`;
const staging = new BlobStaging({ kind: 'connection-string', connectionString: azuriteConnectionString, containerPrefix: prefix });
const meta = { connector: 'demo', conversationid: 'c-1', version: '1' };

beforeAll(async () => {
  await staging.ensureContainers();
});

describe('BlobStaging archive items (written once, sealed by sha256)', () => {
  it('re-staging the same item leaves exactly one blob and reports the earlier write as "exists"', async () => {
    const bytes = Buffer.from('Subject: hello\r\n\r\nbody\r\n');
    const first = await staging.putItemOnce('acct/c-1/1.eml', bytes, meta);
    const second = await staging.putItemOnce('acct/c-1/1.eml', bytes, meta);

    expect(first).toEqual({ name: 'acct/c-1/1.eml', sha256: sha256Hex(bytes), size: bytes.length, status: 'created' });
    expect(second).toEqual({ ...first, status: 'exists' });
    expect(await staging.list('items', 'acct/c-1/')).toEqual(['acct/c-1/1.eml']);
  });

  it('concurrent attempts to stage the same item create it exactly once', async () => {
    const bytes = Buffer.from('same bytes from two racing activity attempts');
    const results = await Promise.all([1, 2, 3, 4].map(() => staging.putItemOnce('acct/race/1.eml', bytes, meta)));
    expect(results.filter((r) => r.status === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'exists')).toHaveLength(3);
  });

  it('a second write of the same name with other bytes throws ItemConflictError and keeps the original', async () => {
    const original = Buffer.from('original conversation text');
    const other = Buffer.from('different conversation text');
    await staging.putItemOnce('acct/c-2/1.eml', original, meta);

    const attempt = staging.putItemOnce('acct/c-2/1.eml', other, meta);
    await expect(attempt).rejects.toBeInstanceOf(ItemConflictError);
    await expect(attempt).rejects.toMatchObject({
      name: 'ItemConflictError',
      itemName: 'acct/c-2/1.eml',
      existingSha256: sha256Hex(original),
      newSha256: sha256Hex(other),
    });
    const read = await staging.readItem('acct/c-2/1.eml');
    expect(read.bytes.equals(original)).toBe(true);
  });

  it('reads an item back with its verified hash and the metadata written with it', async () => {
    const bytes = Buffer.from('MIME-Version: 1.0\r\n\r\nü');
    await staging.putItemOnce('acct/c-3/2.eml', bytes, meta);
    const read = await staging.readItem('acct/c-3/2.eml');
    expect(read.bytes.equals(bytes)).toBe(true);
    expect(read.sha256).toBe(sha256Hex(bytes));
    expect(read.metadata).toMatchObject({ ...meta, sha256: sha256Hex(bytes) });
  });

  it('detects an item altered in storage behind its back by the hash when read', async () => {
    const bytes = Buffer.from('the record as archived');
    await staging.putItemOnce('acct/c-4/1.eml', bytes, meta);
    // Someone with write access replaces the bytes but copies the old metadata (including the seal).
    const raw = BlobServiceClient.fromConnectionString(azuriteConnectionString)
      .getContainerClient(staging.containers.items)
      .getBlockBlobClient('acct/c-4/1.eml');
    const forged = Buffer.from('the record as altered');
    await raw.upload(forged, forged.length, { metadata: { ...meta, sha256: sha256Hex(bytes) } });

    await expect(staging.readItem('acct/c-4/1.eml')).rejects.toMatchObject({
      name: 'ItemTamperedError',
      expectedSha256: sha256Hex(bytes),
      actualSha256: sha256Hex(forged),
    });
  });

  it('treats an item whose seal was removed as tampered', async () => {
    const bytes = Buffer.from('sealed');
    await staging.putItemOnce('acct/c-5/1.eml', bytes, meta);
    const raw = BlobServiceClient.fromConnectionString(azuriteConnectionString)
      .getContainerClient(staging.containers.items)
      .getBlockBlobClient('acct/c-5/1.eml');
    await raw.setMetadata({ connector: 'demo' });
    await expect(staging.readItem('acct/c-5/1.eml')).rejects.toBeInstanceOf(ItemTamperedError);
  });

  it('refuses metadata Azure cannot carry or that would overwrite the seal', async () => {
    const bytes = Buffer.from('x');
    await expect(staging.putItemOnce('acct/m/1.eml', bytes, { 'bad-key': 'v' })).rejects.toBeInstanceOf(InvalidMetadataError);
    await expect(staging.putItemOnce('acct/m/1.eml', bytes, { name: 'Jürgen' })).rejects.toBeInstanceOf(InvalidMetadataError);
    await expect(staging.putItemOnce('acct/m/1.eml', bytes, { SHA256: 'forged' })).rejects.toBeInstanceOf(InvalidMetadataError);
    expect(await staging.exists('items', 'acct/m/1.eml')).toBe(false);
  });
});

describe('BlobStaging working blobs (overwritten on retry)', () => {
  it('round-trips JSON and overwrites on a second put', async () => {
    const value = { window: { from: '2025-01-01T00:00:00Z' }, items: [1, 2, 3], text: 'ünïcødé' };
    await staging.putJson('work', 'demo/w1/page-00001.converted.json', { stale: true });
    await staging.putJson('work', 'demo/w1/page-00001.converted.json', value);
    expect(await staging.getJson('work', 'demo/w1/page-00001.converted.json')).toEqual(value);
  });

  it('validates JSON with a parser when given and reports content that is not JSON', async () => {
    await staging.putText('work', 'demo/w1/broken.json', '{"half":');
    await expect(staging.getJson('work', 'demo/w1/broken.json')).rejects.toBeInstanceOf(BlobContentError);
    await staging.putJson('work', 'demo/w1/shape.json', { count: 'three' });
    const parse = (v: unknown): { count: number } => {
      if (typeof (v as { count?: unknown }).count !== 'number') throw new Error('count must be a number');
      return v as { count: number };
    };
    await expect(staging.getJson('work', 'demo/w1/shape.json', parse)).rejects.toThrow(/count must be a number/);
  });

  it('round-trips text and lists by prefix in name order', async () => {
    await staging.putText('logs', 'demo/2025-01-02/b.csv', 'b');
    await staging.putText('logs', 'demo/2025-01-02/a.csv', 'a,ü');
    await staging.putText('logs', 'demo/2025-01-03/a.csv', 'other day');
    expect(await staging.getText('logs', 'demo/2025-01-02/a.csv')).toBe('a,ü');
    expect(await staging.list('logs', 'demo/2025-01-02/')).toEqual(['demo/2025-01-02/a.csv', 'demo/2025-01-02/b.csv']);
  });

  it('tells whether any blob has a prefix, whatever the number of blobs', async () => {
    await staging.putText('logs', 'present/2025-01-02/a.csv', 'a');
    await staging.putText('logs', 'present/2025-01-03/b.csv', 'b');
    expect(await staging.hasAny('logs', 'present/')).toBe(true);
    expect(await staging.hasAny('logs', 'absent/')).toBe(false);
    // A prefix of a name is not a folder: "present-2/" is not "present/".
    expect(await staging.hasAny('logs', 'present-2/')).toBe(false);
  });

  it('deletes a blob and ignores one that is already gone', async () => {
    await staging.putJson('raw', 'demo/w1/page-00001.json', { page: 1 });
    await staging.delete('raw', 'demo/w1/page-00001.json');
    await staging.delete('raw', 'demo/w1/page-00001.json');
    await expect(staging.getJson('raw', 'demo/w1/page-00001.json')).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('refuses blob names that traverse or are empty', async () => {
    await expect(staging.putText('work', '../escape', 'x')).rejects.toBeInstanceOf(InvalidBlobNameError);
    await expect(staging.putText('work', '', 'x')).rejects.toBeInstanceOf(InvalidBlobNameError);
    await expect(staging.putText('work', 'a//b', 'x')).rejects.toBeInstanceOf(InvalidBlobNameError);
  });
});

describe('BlobStaging failures name their cause and fix', () => {
  it('a missing container gives ContainerMissingError naming ensureContainers()', async () => {
    const fresh = new BlobStaging({
      kind: 'connection-string',
      connectionString: azuriteConnectionString,
      containerPrefix: `${uniqueId('t')}-`,
    });
    const attempt = fresh.getJson('work', 'x.json');
    await expect(attempt).rejects.toBeInstanceOf(ContainerMissingError);
    await expect(attempt).rejects.toThrow(/ensureContainers\(\)/);
  });

  it('an unreachable endpoint gives StorageUnavailableError mentioning Azurite', async () => {
    const port = await findFreePort();
    const connectionString = azuriteConnectionString.replace(/BlobEndpoint=http:\/\/[^/]+\//, `BlobEndpoint=http://127.0.0.1:${port}/`);
    const down = new BlobStaging({ kind: 'connection-string', connectionString }, { retry: { maxTries: 1 } });
    const attempt = down.putJson('work', 'x.json', {});
    await expect(attempt).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(attempt).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED.*Azurite`));
  });

  it('a container prefix Azure would refuse is a StorageConfigError at construction', () => {
    expect(() => new BlobStaging({ kind: 'connection-string', connectionString: azuriteConnectionString, containerPrefix: 'LP_' })).toThrow(
      StorageConfigError,
    );
  });

  it('an unusable connection string is a StorageConfigError that does not echo the string', () => {
    const secret = 'AccountKey=c2VjcmV0';
    let error: unknown;
    try {
      new BlobStaging({ kind: 'connection-string', connectionString: `nonsense;${secret}` });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StorageConfigError);
    expect((error as Error).message).not.toContain(secret);
  });
});
