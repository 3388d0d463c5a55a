import { RestError, type ContainerClient } from '@azure/storage-blob';
import { makeCleanupStaged } from '../../src/activities/cleanup-staged';
import { BlobStaging, CleanupOptionsError } from '../../src/storage';
import { cleanupContainer, emptyCleanupResult } from '../../src/storage/cleanup';
import { testServices, uniqueId } from '../setup/services';

const DAY_MS = 86_400_000;
const { azuriteConnectionString } = testServices();
const meta = { connector: 'demo', conversationid: 'c', version: '1' };

async function freshStaging(): Promise<BlobStaging> {
  const staging = new BlobStaging({
    kind: 'connection-string',
    connectionString: azuriteConnectionString,
    containerPrefix: `${uniqueId('k')}-`,
  });
  await staging.ensureContainers();
  await staging.putItemOnce('acct/c-1/1.eml', Buffer.from('one'), meta);
  await staging.putItemOnce('acct/c-2/1.eml', Buffer.from('two'), meta);
  await staging.putJson('manifests', 'demo/20260101T0000Z-20260101T0010Z.json', { items: [] });
  await staging.putJson('manifests', 'other/20260101T0000Z-20260101T0010Z.json', { items: [] });
  await staging.putText('logs', 'demo/2026-01-01/w-page-00001.csv', 'header\n');
  return staging;
}

describe('cleanupStaged (retention of staged blobs)', () => {
  it('keeps everything younger than the retention', async () => {
    const staging = await freshStaging();
    const result = await staging.cleanupStaged({ olderThanDays: 30, kinds: ['items', 'manifests', 'logs'] });
    expect(result.deleted).toEqual({ raw: 0, work: 0, items: 0, manifests: 0, logs: 0 });
    expect(result.scanned).toMatchObject({ items: 2, manifests: 2, logs: 1 });
    expect(await staging.list('items', '')).toHaveLength(2);
  });

  it('deletes what is older than the retention by the given clock, only in the kinds asked for', async () => {
    const staging = await freshStaging();
    const now = new Date(Date.now() + 31 * DAY_MS);
    const result = await staging.cleanupStaged({ olderThanDays: 30, kinds: ['items', 'manifests'], now });
    expect(result.cutoff).toBe(new Date(now.getTime() - 30 * DAY_MS).toISOString());
    expect(result.deleted).toEqual({ raw: 0, work: 0, items: 2, manifests: 2, logs: 0 });
    expect(result.keptProtected).toEqual({ raw: 0, work: 0, items: 0, manifests: 0, logs: 0 });
    expect(await staging.list('items', '')).toEqual([]);
    expect(await staging.list('manifests', '')).toEqual([]);
    expect(await staging.list('logs', '')).toEqual(['demo/2026-01-01/w-page-00001.csv']);
  });

  it('with a 0-day retention deletes everything written before now, limited to a name prefix', async () => {
    const staging = await freshStaging();
    const result = await staging.cleanupStaged({
      olderThanDays: 0,
      kinds: ['manifests', 'logs'],
      prefix: 'demo/',
      now: new Date(Date.now() + 2_000),
    });
    expect(result.deleted).toMatchObject({ manifests: 1, logs: 1 });
    expect(await staging.list('manifests', '')).toEqual(['other/20260101T0000Z-20260101T0010Z.json']);
    // Repeating it is harmless.
    const again = await staging.cleanupStaged({
      olderThanDays: 0,
      kinds: ['manifests', 'logs'],
      prefix: 'demo/',
      now: new Date(Date.now() + 2_000),
    });
    expect(again.deleted).toMatchObject({ manifests: 0, logs: 0 });
  });

  it('refuses a negative age or an unknown kind with a clear, non-retryable error', async () => {
    const staging = await freshStaging();
    await expect(staging.cleanupStaged({ olderThanDays: -1, kinds: ['items'] })).rejects.toBeInstanceOf(CleanupOptionsError);
    await expect(staging.cleanupStaged({ olderThanDays: 1, kinds: ['items', 'secrets' as never] })).rejects.toThrow(
      /unknown kinds secrets/,
    );
    await expect(staging.cleanupStaged({ olderThanDays: Number.NaN, kinds: ['items'] })).rejects.toMatchObject({ retryable: false });
  });
});

describe('cleanupContainer skips blobs the store protects', () => {
  // Azurite has no legal holds or immutability policies, so the listing the service would return is faked.
  const now = new Date('2026-06-01T00:00:00Z');
  const old = new Date('2025-01-01T00:00:00Z');
  function fakeContainer(blobs: { name: string; legalHold?: boolean; immutabilityPolicyExpiresOn?: Date; refuseDelete?: boolean }[]) {
    const deleted: string[] = [];
    const container = {
      async *listBlobsFlat() {
        await Promise.resolve();
        for (const b of blobs)
          yield {
            name: b.name,
            properties: { lastModified: old, legalHold: b.legalHold, immutabilityPolicyExpiresOn: b.immutabilityPolicyExpiresOn },
          };
      },
      getBlobClient(name: string) {
        return {
          deleteIfExists() {
            if (blobs.find((b) => b.name === name)?.refuseDelete)
              return Promise.reject(
                new RestError('This operation is not permitted as the blob is immutable due to a policy.', { statusCode: 409 }),
              );
            deleted.push(name);
            return Promise.resolve({ succeeded: true });
          },
        };
      },
    } as unknown as ContainerClient;
    return { container, deleted };
  }

  it('keeps blobs under a legal hold, an unexpired policy, or that the service refuses to delete (409)', async () => {
    const { container, deleted } = fakeContainer([
      { name: 'held', legalHold: true },
      { name: 'policy-running', immutabilityPolicyExpiresOn: new Date('2027-01-01T00:00:00Z') },
      { name: 'policy-expired', immutabilityPolicyExpiresOn: new Date('2026-01-01T00:00:00Z') },
      { name: 'refused', refuseDelete: true },
      { name: 'plain' },
    ]);
    const result = emptyCleanupResult(new Date('2026-05-01T00:00:00Z'));
    await cleanupContainer(container, 'items', new Date('2026-05-01T00:00:00Z'), now, {}, result);
    expect(deleted).toEqual(['policy-expired', 'plain']);
    expect(result.deleted.items).toBe(2);
    expect(result.keptProtected.items).toBe(3);
    expect(result.scanned.items).toBe(5);
  });
});

describe('the cleanup activity', () => {
  it('deletes nothing when no retention is configured', async () => {
    const staging = await freshStaging();
    await expect(makeCleanupStaged(staging, undefined)({})).resolves.toEqual({ skipped: expect.stringMatching(/LPA_RETENTION_DAYS/) });
    expect(await staging.list('items', '')).toHaveLength(2);
  });

  it('uses the worker retention for items, manifests and logs, and an explicit age when given', async () => {
    const staging = await freshStaging();
    expect(await makeCleanupStaged(staging, 30)({})).toMatchObject({ deleted: { items: 0, manifests: 0, logs: 0 } });
    await new Promise((r) => setTimeout(r, 1_100)); // Azurite's Last-Modified has whole-second precision
    expect(await makeCleanupStaged(staging, 30)({ olderThanDays: 0 })).toMatchObject({ deleted: { items: 2, manifests: 2, logs: 1 } });
  });
});
