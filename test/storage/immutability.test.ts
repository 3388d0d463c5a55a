import { randomBytes } from 'node:crypto';
import {
  BlobStaging,
  ImmutabilityError,
  immutabilitySettingsFromEnv,
  immutabilityVerdict,
  sha256Hex,
  StorageConfigError,
  STREAMING_THRESHOLD_BYTES,
  type ImmutabilitySettings,
  type StoreFacts,
} from '../../src/storage';
import { policyExpiry } from '../../src/storage/immutability';
import { testServices, uniqueId } from '../setup/services';

const { azuriteConnectionString } = testServices();
const meta = { connector: 'demo', conversationid: 'c-1', version: '1' };

function stagingWith(immutability: ImmutabilitySettings): BlobStaging {
  return new BlobStaging(
    { kind: 'connection-string', connectionString: azuriteConnectionString, containerPrefix: `${uniqueId('i')}-` },
    { immutability },
  );
}

describe('immutabilitySettingsFromEnv', () => {
  it('defaults to no service-side protection and no retention', () => {
    expect(immutabilitySettingsFromEnv({})).toEqual({ mode: 'none', lock: 'unlocked' });
  });

  it('reads a time-based WORM policy with its retention and lock', () => {
    expect(
      immutabilitySettingsFromEnv({ LPA_IMMUTABILITY: 'version-level-worm', LPA_RETENTION_DAYS: '2557', LPA_IMMUTABILITY_LOCK: 'locked' }),
    ).toEqual({ mode: 'version-level-worm', retentionDays: 2557, lock: 'locked' });
    expect(immutabilitySettingsFromEnv({ LPA_IMMUTABILITY: 'legal-hold' })).toEqual({ mode: 'legal-hold', lock: 'unlocked' });
  });

  it.each([
    [{ LPA_IMMUTABILITY: 'worm' }, 'LPA_IMMUTABILITY', /none, version-level-worm, legal-hold/],
    [{ LPA_IMMUTABILITY: 'version-level-worm' }, 'LPA_RETENTION_DAYS', /needs LPA_RETENTION_DAYS/],
    [{ LPA_RETENTION_DAYS: '7y' }, 'LPA_RETENTION_DAYS', /whole number of days/],
    [{ LPA_RETENTION_DAYS: '0' }, 'LPA_RETENTION_DAYS', /from 1/],
    [{ LPA_IMMUTABILITY_LOCK: 'yes' }, 'LPA_IMMUTABILITY_LOCK', /"unlocked" or "locked"/],
  ])('refuses %j naming %s and the fix', (env, field, message) => {
    let error: unknown;
    try {
      immutabilitySettingsFromEnv(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StorageConfigError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toMatch(message);
  });
});

describe('immutabilityVerdict', () => {
  const azure: StoreFacts = {
    endpoint: 'https://acct.blob.core.windows.net/',
    itemsContainer: 'lparchive-items',
    emulator: false,
    versionLevelWorm: true,
  };
  const worm: ImmutabilitySettings = { mode: 'version-level-worm', retentionDays: 30 };

  it('applies the policy on an Azure container with version-level WORM, with nothing to warn about', () => {
    expect(immutabilityVerdict(worm, azure)).toEqual({ active: true });
    expect(immutabilityVerdict({ mode: 'legal-hold' }, azure)).toEqual({ active: true });
  });

  it('refuses to start when WORM is configured but the Azure container cannot do it', () => {
    expect(() => immutabilityVerdict(worm, { ...azure, versionLevelWorm: false })).toThrow(StorageConfigError);
    expect(() => immutabilityVerdict(worm, { ...azure, versionLevelWorm: false })).toThrow(
      /lparchive-items.*--enable-vlw.*LPA_IMMUTABILITY=none/s,
    );
  });

  it('warns once that immutability is off on Azure when not configured', () => {
    expect(immutabilityVerdict({ mode: 'none' }, azure)).toEqual({
      active: false,
      warning: expect.stringMatching(/Immutability is off \(LPA_IMMUTABILITY=none\)/),
    });
  });

  it('says on Azurite that it cannot, whatever is configured', () => {
    const azurite = { ...azure, endpoint: 'http://127.0.0.1:10000/devstoreaccount1', emulator: true, versionLevelWorm: false };
    expect(immutabilityVerdict({ mode: 'none' }, azurite)).toEqual({
      active: false,
      warning:
        'Blob store at http://127.0.0.1:10000/devstoreaccount1 does not support immutability policies (Azurite); sealed items are protected by If-None-Match and sha256 only.',
    });
    expect(immutabilityVerdict(worm, azurite).warning).toMatch(/\(LPA_IMMUTABILITY=version-level-worm is not applied\)\.$/);
  });

  it('derives the policy expiry from the creation time, so retries ask for the same', () => {
    expect(policyExpiry(new Date('2026-01-01T10:00:00Z'), 30).toISOString()).toBe('2026-01-31T10:00:00.000Z');
  });
});

describe('against Azurite', () => {
  it('probeImmutability says once that the store cannot, and names its endpoint', async () => {
    const staging = stagingWith({ mode: 'version-level-worm', retentionDays: 7 });
    await staging.ensureContainers();
    const warning = await staging.probeImmutability();
    expect(warning).toMatch(
      new RegExp(
        `^Blob store at ${staging.endpoint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not support immutability policies \\(Azurite\\); ` +
          'sealed items are protected by If-None-Match and sha256 only',
      ),
    );
  });

  it.each<ImmutabilitySettings>([{ mode: 'version-level-worm', retentionDays: 7 }, { mode: 'legal-hold' }])(
    'sealing still works with %j configured (buffered and streamed, first write and retry)',
    async (settings) => {
      const staging = stagingWith(settings);
      await staging.ensureContainers();
      const small = Buffer.from('Subject: kept\r\n\r\nbody');
      const large = randomBytes(STREAMING_THRESHOLD_BYTES + 1);
      expect(await staging.putItemOnce('acct/c-1/1.eml', small, meta)).toMatchObject({ status: 'created', sha256: sha256Hex(small) });
      expect(await staging.putItemOnce('acct/c-1/1.eml', small, meta)).toMatchObject({ status: 'exists' });
      expect(await staging.putItemOnceFromStream('acct/c-2/1.eml', [large], meta)).toMatchObject({
        status: 'created',
        sha256: sha256Hex(large),
      });
      expect(await staging.putItemOnceFromStream('acct/c-2/1.eml', [large], meta)).toMatchObject({ status: 'exists' });
      expect((await staging.readItem('acct/c-1/1.eml')).bytes.equals(small)).toBe(true);
    },
  );

  it('when the store refuses a policy it was expected to take, the item stays sealed and the error names the fix', async () => {
    const staging = stagingWith({ mode: 'version-level-worm', retentionDays: 7 });
    await staging.ensureContainers();
    // Make this instance believe the account supports WORM: Azurite then answers Set Immutability Policy with 501.
    (staging as unknown as { protection: { check: () => Promise<unknown> } }).protection.check = () => Promise.resolve({ active: true });
    const bytes = Buffer.from('record');

    const first = staging.putItemOnce('acct/c-3/1.eml', bytes, meta);
    await expect(first).rejects.toBeInstanceOf(ImmutabilityError);
    await expect(first).rejects.toThrow(/version-level-worm protection could not be set.*a retry sets the protection again/s);
    expect((await staging.readItem('acct/c-3/1.eml')).sha256).toBe(sha256Hex(bytes));
    // The retry finds the sealed item and tries the protection again rather than skipping it.
    await expect(staging.putItemOnce('acct/c-3/1.eml', bytes, meta)).rejects.toBeInstanceOf(ImmutabilityError);
  });
});
