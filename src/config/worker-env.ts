import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { StorageConfig } from '../storage/types';
import { MissingSecretError } from './secrets';

export const DEFAULT_TASK_QUEUE = 'lp-archive';

type Env = Readonly<Record<string, string | undefined>>;

/** Where the worker and the CLI find Temporal: the standard TEMPORAL_* variables / temporal.toml profile. */
export function temporalConnectConfig(env: Env = process.env) {
  const cfg = loadClientConnectConfig();
  return {
    connectionOptions: cfg.connectionOptions,
    namespace: cfg.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.LPA_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
  };
}

/** Blob storage of the worker: a connection string (Azurite, or a key) or an account URL with Entra ID. */
export function storageConfigFromEnv(env: Env = process.env): StorageConfig {
  const prefix = env.LPA_CONTAINER_PREFIX;
  if (env.AZURE_STORAGE_CONNECTION_STRING) {
    return { kind: 'connection-string', connectionString: env.AZURE_STORAGE_CONNECTION_STRING, ...(prefix ? { containerPrefix: prefix } : {}) };
  }
  if (env.AZURE_STORAGE_ACCOUNT_URL) {
    return { kind: 'account-url', accountUrl: env.AZURE_STORAGE_ACCOUNT_URL, ...(prefix ? { containerPrefix: prefix } : {}) };
  }
  throw new MissingSecretError('AZURE_STORAGE_CONNECTION_STRING', 'or AZURE_STORAGE_ACCOUNT_URL: the Azure Blob Storage account where items are staged');
}

export function metricsPortFromEnv(env: Env = process.env): number | undefined {
  const v = env.LPA_METRICS_PORT;
  if (v === undefined) return 9464;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
