import { storageConfigFromEnv } from '../../config/worker-env';
import { BlobStaging } from '../../storage/blob-staging';
import { BLOB_KINDS } from '../../storage/types';
import type { CliEnv } from '../io';
import { settingFix, type CheckRecorder } from './types';

/** Azure Blob Storage: the account from the environment and each of the five containers. Reads only. */
export async function checkStorage(env: CliEnv, rec: CheckRecorder): Promise<void> {
  const staging = await rec.step(
    'storage',
    'account',
    () => {
      const s = new BlobStaging(storageConfigFromEnv(env));
      return Promise.resolve({ value: s, detail: `Azure Blob Storage at ${s.endpoint}` });
    },
    settingFix('AZURE_STORAGE_CONNECTION_STRING (or AZURE_STORAGE_ACCOUNT_URL with an Entra identity)'),
  );
  for (const kind of BLOB_KINDS) {
    if (!staging) {
      rec.skip('storage', `container ${kind}`, 'no storage account');
      continue;
    }
    const container = staging.containers[kind];
    await rec.step(
      'storage',
      `container ${kind}`,
      async () => {
        await staging.list(kind, 'lp-archive-preflight/');
        return { value: true, detail: `${container} is reachable` };
      },
      `start the worker once (it creates the containers), or check LPA_CONTAINER_PREFIX`,
    );
  }
}
