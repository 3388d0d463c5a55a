import { StorageConfigError } from './errors';

/**
 * How sealed archive items are made unalterable on the service, beyond `If-None-Match: *` and the sha256 seal:
 * - `none`: no service-side protection (the default; the only thing Azurite can do);
 * - `version-level-worm`: a time-based immutability policy on each item until created + `retentionDays`;
 * - `legal-hold`: a legal hold on each item, kept until a person clears it.
 * Both need an Azure container with version-level immutability support (WORM) enabled.
 */
export const IMMUTABILITY_MODES = ['none', 'version-level-worm', 'legal-hold'] as const;
export type ImmutabilityMode = (typeof IMMUTABILITY_MODES)[number];

/** `unlocked` policies can still be shortened or removed by an administrator; `locked` ones only extended (SEC 17a-4). */
export const POLICY_LOCKS = ['unlocked', 'locked'] as const;
export type PolicyLock = (typeof POLICY_LOCKS)[number];

export interface ImmutabilitySettings {
  readonly mode: ImmutabilityMode;
  /** `version-level-worm`: length of the policy; cleanup: age after which staged blobs may be deleted. */
  readonly retentionDays?: number;
  /** `version-level-worm` only; default `unlocked`. */
  readonly lock?: PolicyLock;
}

/** Names of the worker environment variables, so messages and docs agree. */
export const IMMUTABILITY_ENV = {
  mode: 'LPA_IMMUTABILITY',
  retentionDays: 'LPA_RETENTION_DAYS',
  lock: 'LPA_IMMUTABILITY_LOCK',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads `LPA_IMMUTABILITY` (none | version-level-worm | legal-hold, default none), `LPA_RETENTION_DAYS`
 * (whole days ≥ 1; required for version-level-worm) and `LPA_IMMUTABILITY_LOCK` (unlocked | locked).
 * @throws StorageConfigError naming the variable and the fix
 */
export function immutabilitySettingsFromEnv(env: Env = process.env): ImmutabilitySettings {
  const rawMode = env[IMMUTABILITY_ENV.mode]?.trim() || 'none';
  if (!(IMMUTABILITY_MODES as readonly string[]).includes(rawMode))
    throw new StorageConfigError(
      IMMUTABILITY_ENV.mode,
      `${IMMUTABILITY_ENV.mode}=${JSON.stringify(rawMode)} is not a known mode. Use one of: ${IMMUTABILITY_MODES.join(', ')}.`,
    );
  const mode = rawMode as ImmutabilityMode;

  const rawDays = env[IMMUTABILITY_ENV.retentionDays]?.trim();
  let retentionDays: number | undefined;
  if (rawDays) {
    retentionDays = Number(rawDays);
    if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 146_000)
      throw new StorageConfigError(
        IMMUTABILITY_ENV.retentionDays,
        `${IMMUTABILITY_ENV.retentionDays}=${JSON.stringify(rawDays)} must be a whole number of days from 1 to 146000 (e.g. 2557 for 7 years).`,
      );
  }
  if (mode === 'version-level-worm' && retentionDays === undefined)
    throw new StorageConfigError(
      IMMUTABILITY_ENV.retentionDays,
      `${IMMUTABILITY_ENV.mode}=version-level-worm needs ${IMMUTABILITY_ENV.retentionDays}: how many days each item stays unalterable.`,
    );

  const rawLock = env[IMMUTABILITY_ENV.lock]?.trim() || 'unlocked';
  if (!(POLICY_LOCKS as readonly string[]).includes(rawLock))
    throw new StorageConfigError(
      IMMUTABILITY_ENV.lock,
      `${IMMUTABILITY_ENV.lock}=${JSON.stringify(rawLock)} must be "unlocked" or "locked" (locked cannot be undone).`,
    );
  return { mode, lock: rawLock as PolicyLock, ...(retentionDays !== undefined ? { retentionDays } : {}) };
}

/** What the probe saw of the store. */
export interface StoreFacts {
  /** Endpoint without credentials. */
  readonly endpoint: string;
  readonly itemsContainer: string;
  /** Azurite (by its `Server` header or the development account name). */
  readonly emulator: boolean;
  /** The items container's `x-ms-immutable-storage-with-versioning-enabled`. */
  readonly versionLevelWorm: boolean;
}

/** Whether items get a policy, and what the worker should say once at start. */
export interface ImmutabilityVerdict {
  /** True when each sealed item gets its policy / legal hold. */
  readonly active: boolean;
  /** One line for the worker to print at start; absent when everything configured is in force. */
  readonly warning?: string;
}

/**
 * Decides from the settings and what the store supports. An emulator only warns (it is a development
 * store); a real account that cannot do what the operator configured is refused, because silently
 * archiving compliance records without the promised WORM protection is worse than not starting.
 * @throws StorageConfigError when immutability is configured on an Azure container without WORM support
 */
export function immutabilityVerdict(settings: ImmutabilitySettings, store: StoreFacts): ImmutabilityVerdict {
  const fallback = 'sealed items are protected by If-None-Match and sha256 only';
  if (store.emulator) {
    const ignored = settings.mode === 'none' ? '' : ` (${IMMUTABILITY_ENV.mode}=${settings.mode} is not applied)`;
    return {
      active: false,
      warning: `Blob store at ${store.endpoint} does not support immutability policies (Azurite); ${fallback}${ignored}.`,
    };
  }
  if (settings.mode === 'none')
    return {
      active: false,
      warning:
        `Immutability is off (${IMMUTABILITY_ENV.mode}=none): in ${store.endpoint} container "${store.itemsContainer}", ${fallback}. ` +
        `For WORM storage enable version-level immutability on the container and set ${IMMUTABILITY_ENV.mode}=version-level-worm ` +
        `with ${IMMUTABILITY_ENV.retentionDays}.`,
    };
  if (!store.versionLevelWorm)
    throw new StorageConfigError(
      IMMUTABILITY_ENV.mode,
      `${IMMUTABILITY_ENV.mode}=${settings.mode}, but container "${store.itemsContainer}" at ${store.endpoint} does not have ` +
        'version-level immutability support. Enable blob versioning on the account and version-level immutability on the ' +
        `container (az storage container-rm create --enable-vlw true, or az storage container-rm migrate-vlw for an existing one), ` +
        `or set ${IMMUTABILITY_ENV.mode}=none to run without it.`,
    );
  return { active: true };
}

/** Expiry of an item's time-based policy: its creation time plus the retention, so every retry computes the same. */
export function policyExpiry(createdOn: Date, retentionDays: number): Date {
  return new Date(createdOn.getTime() + retentionDays * 86_400_000);
}
