import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { classifyStorageError, type StorageOperation } from './classify';
import { ImmutabilityError, StorageUnavailableError } from './errors';
import { immutabilityVerdict, policyExpiry, type ImmutabilitySettings, type ImmutabilityVerdict } from './immutability';

/** Where the items live, as the protection needs to know it. */
export interface ItemStore {
  readonly endpoint: string;
  readonly itemsContainer: string;
  readonly accountName: string;
  items(): ContainerClient;
  op(action: string, blobName?: string): StorageOperation;
}

/**
 * The protection a sealed item gets from the store beside If-None-Match and its sha256: a time-based
 * immutability policy or a legal hold, when configured and the container supports version-level WORM. The
 * store is probed once per instance; sealing waits for the verdict when protection is configured.
 */
export class ItemProtection {
  private verdict: Promise<ImmutabilityVerdict> | undefined;

  constructor(
    private readonly settings: ImmutabilitySettings,
    private readonly store: ItemStore,
  ) {}

  /** What is in force (and a warning when less than configured); probed once, again after a network failure. */
  check(): Promise<ImmutabilityVerdict> {
    this.verdict ??= this.probe().then(
      (facts) => immutabilityVerdict(this.settings, facts),
      (err: unknown) => {
        this.verdict = undefined; // a network failure must not stick; the next call probes again
        throw err;
      },
    );
    return this.verdict;
  }

  /**
   * Applies the configured protection to a sealed item, unless it already has it. The policy expiry derives
   * from the item's creation time, so every retry asks for the same (a locked policy can only be extended).
   */
  async protect(
    name: string,
    blob: BlockBlobClient,
    createdOn: Date,
    current?: { readonly legalHold?: boolean; readonly immutabilityPolicyExpiresOn?: Date },
  ): Promise<void> {
    const settings = this.settings;
    if (settings.mode === 'none') return;
    if (!(await this.check()).active) return;
    try {
      if (settings.mode === 'legal-hold') {
        if (current?.legalHold !== true) await blob.setLegalHold(true);
        return;
      }
      const expiriesOn = policyExpiry(createdOn, settings.retentionDays ?? 0);
      if (expiriesOn.getTime() <= Date.now()) return; // its retention is already over
      if (current?.immutabilityPolicyExpiresOn !== undefined && current.immutabilityPolicyExpiresOn >= expiriesOn) return;
      await blob.setImmutabilityPolicy({ expiriesOn, policyMode: settings.lock === 'locked' ? 'Locked' : 'Unlocked' });
    } catch (err) {
      const classified = classifyStorageError(err, this.store.op('protect an archive item', name));
      if (classified instanceof StorageUnavailableError) throw classified;
      throw new ImmutabilityError(name, settings.mode, classified.message, { cause: err });
    }
  }

  private async probe(): Promise<Parameters<typeof immutabilityVerdict>[1]> {
    let properties;
    try {
      properties = await this.store.items().getProperties();
    } catch (err) {
      throw classifyStorageError(err, this.store.op('read the items container properties'));
    }
    const server = properties._response.headers.get('server') ?? '';
    const endpoint = this.store.endpoint;
    return {
      endpoint,
      itemsContainer: this.store.itemsContainer,
      emulator: server.startsWith('Azurite') || /\/devstoreaccount1\/?$/.test(endpoint) || this.store.accountName === 'devstoreaccount1',
      versionLevelWorm: properties.isImmutableStorageWithVersioningEnabled === true,
    };
  }
}
