import { RestError, type ContainerClient } from '@azure/storage-blob';
import { makeCleanupStaged } from '../../src/activities/cleanup-staged';
import { BlobStaging, CleanupOptionsError } from '../../src/storage';
import { cleanupContainer, cleanupCutoff, emptyCleanupResult, type CleanupOptions } from '../../src/storage/cleanup';
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
  const demo = { connector: 'demo', accountId: 'acct' };
  const sleepPastASecond = () => new Promise((r) => setTimeout(r, 1_100)); // Azurite's Last-Modified has whole seconds

  it('deletes nothing when no retention is configured, and says so', async () => {
    const staging = await freshStaging();
    await expect(makeCleanupStaged(staging, undefined)(demo)).resolves.toEqual({
      skipped: 'retention not configured (LPA_RETENTION_DAYS): nothing is deleted',
    });
    expect(await staging.list('items', '')).toHaveLength(2);
  });

  it("cleans only the connector's manifests and logs and its account's items, by the worker retention or an explicit age", async () => {
    const staging = await freshStaging();
    await staging.putItemOnce('acct2/c-9/1.eml', Buffer.from('other account'), meta);
    // Legacy chat's item, manifest and log part: its manifests sit in the folder chat~<connector>.
    await staging.putItemOnce('acct/chat/e-1/1.eml', Buffer.from('chat'), meta);
    await staging.putJson('manifests', 'chat~demo/20260101T0000Z-20260101T0010Z.json', { items: [] });
    await staging.putText('logs', 'demo/2026-01-01/chat-w-page-00001.csv', 'header\n');
    expect(await makeCleanupStaged(staging, 30)(demo)).toMatchObject({ retentionDays: 30, deleted: { items: 0, manifests: 0, logs: 0 } });
    await sleepPastASecond();
    const result = await makeCleanupStaged(staging, 30)({ ...demo, olderThanDays: 0 });
    expect(result).toMatchObject({ retentionDays: 0, deleted: { items: 3, manifests: 2, logs: 2 }, keptReferenced: { items: 0 } });
    expect(await staging.list('items', '')).toEqual(['acct2/c-9/1.eml']);
    expect(await staging.list('manifests', '')).toEqual(['other/20260101T0000Z-20260101T0010Z.json']);
  });

  it('keeps an old item that a manifest written within the retention names, or whose window is still in progress', async () => {
    const staging = new BlobStaging({
      kind: 'connection-string',
      connectionString: azuriteConnectionString,
      containerPrefix: `${uniqueId('r')}-`,
    });
    await staging.ensureContainers();
    const named = `acct/c-1/${Date.UTC(2026, 0, 1, 0, 5)}.eml`;
    const inProgress = `acct/c-2/${Date.UTC(2026, 0, 2, 0, 5)}.eml`;
    const unneeded = `acct/c-3/${Date.UTC(2026, 0, 3, 0, 5)}.eml`;
    for (const name of [named, inProgress, unneeded]) await staging.putItemOnce(name, Buffer.from(name), meta);
    await sleepPastASecond();
    // Another connector of the account archived c-1 again later (a backfill), and is now working on 2 January.
    const manifest = 'later/20260101T000000Z-20260101T001000Z.json';
    await staging.putJson('manifests', manifest, { items: [{ blob: named }, { blob: 'acct2/c-1/1.eml' }] });
    await staging.putJson('work', 'third/20260102T000000Z-20260102T001000Z/page-00001.staged.json', { items: [] });
    let manifestWritten = 0;
    for await (const b of staging.listDated('manifests', '')) manifestWritten = b.lastModified.getTime();
    // The cutoff falls between the items (due) and the manifest (within the retention).
    const now = Date.now();
    const olderThanDays = (now - (manifestWritten - 500)) / DAY_MS;
    const result = await makeCleanupStaged(staging, olderThanDays, () => now)(demo);
    expect(result).toMatchObject({ deleted: { items: 1, manifests: 0 }, keptReferenced: { items: 2 }, keptProtected: { items: 0 } });
    expect((await staging.list('items', '')).sort()).toEqual([named, inProgress].sort());
    expect(await staging.list('manifests', '')).toEqual([manifest]);
  });

  it('keeps what the store protects and never asks whether it is still referenced', async () => {
    // Azurite has no legal holds or immutability policies: the listing the service would return is faked, as above.
    const blobs = [
      { name: 'acct/c-1/1.eml', properties: { lastModified: new Date('2025-01-01T00:00:00Z'), legalHold: true } },
      {
        name: 'acct/c-2/1.eml',
        properties: { lastModified: new Date('2025-01-01T00:00:00Z'), immutabilityPolicyExpiresOn: new Date('2999-01-01T00:00:00Z') },
      },
      { name: 'acct/c-3/1.eml', properties: { lastModified: new Date('2025-01-01T00:00:00Z') } },
    ];
    const deleted: string[] = [];
    const asked: string[] = [];
    const container = {
      async *listBlobsFlat() {
        await Promise.resolve();
        yield* blobs;
      },
      getBlobClient: (name: string) => ({ deleteIfExists: () => (deleted.push(name), Promise.resolve({ succeeded: true })) }),
    } as unknown as ContainerClient;
    const port = {
      async cleanupStaged(options: CleanupOptions) {
        const result = emptyCleanupResult(cleanupCutoff(options));
        const keep: NonNullable<CleanupOptions['keep']> = (kind, name) => (asked.push(name), options.keep!(kind, name));
        for (const kind of options.kinds)
          if (kind === 'items') await cleanupContainer(container, kind, cleanupCutoff(options), options.now!, { ...options, keep }, result);
        return result;
      },
      list: () => Promise.resolve([]),
      listFolders: () => Promise.resolve([]),
      async *listDated() {},
      getJson: () => Promise.reject(new Error('no manifests here')),
    };
    const result = await makeCleanupStaged(port, 30)(demo);
    expect(result).toMatchObject({ deleted: { items: 1 }, keptProtected: { items: 2 }, keptReferenced: { items: 0 } });
    expect(deleted).toEqual(['acct/c-3/1.eml']);
    expect(asked).toEqual(['acct/c-3/1.eml']);
  });
});
