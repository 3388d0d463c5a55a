/**
 * `npm run console`: the connector console, a small web app for operators and compliance officers (state, last
 * import, lag and counts of each connector, the day log with Download log, operator actions), with sign-in
 * through OpenID Connect (Entra ID in production, the dev identity provider of the local stack).
 *
 * Environment: the CLI's (TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE or a temporal.toml profile, LPA_CODEC_KEYS(_FILE),
 * AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL, LPA_CONTAINER_PREFIX) and LPA_CONSOLE_*
 * (src/console/settings.ts; docs/console.md).
 */
import type { Server } from 'node:http';
import { connectClient } from './cli/temporal-client';
import { redactSecrets } from './codec';
import { storageConfigFromEnv } from './config/worker-env';
import { createConsoleApp } from './console/app';
import { ConnectorData } from './console/connector-data';
import { createOidcLogin } from './console/oidc-login';
import { consoleSettingsFromEnv } from './console/settings';
import { BlobStaging } from './storage/blob-staging';
import { installOutboundProxy } from './runtime/outbound-proxy';
import type { StorageConfig } from './storage/types';

/** The storage the workers write day logs to; the worker's own advice ("reconfigure the connector") does not fit here. */
function consoleStorageConfig(): StorageConfig {
  try {
    return storageConfigFromEnv();
  } catch {
    throw new Error(
      'AZURE_STORAGE_CONNECTION_STRING (or AZURE_STORAGE_ACCOUNT_URL) is not set: give the console the storage account the workers write the day logs to (and LPA_CONTAINER_PREFIX if they use one).',
    );
  }
}

async function main(): Promise<void> {
  const proxy = installOutboundProxy(); // sign-in talks to the identity provider
  if (proxy) process.stderr.write(`[console] ${proxy}\n`);
  const settings = consoleSettingsFromEnv();
  const staging = new BlobStaging(consoleStorageConfig());
  const temporal = await connectClient();
  const log = (line: string): void => void process.stderr.write(`[console] ${redactSecrets(line)}\n`);
  const app = createConsoleApp({
    settings,
    login: createOidcLogin(settings),
    data: new ConnectorData(temporal, staging),
    temporal,
    log,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(settings.port, settings.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  console.log(
    `lp-archive console listening on http://${settings.host}:${port} (open ${settings.publicUrl}; sign-in with ${settings.oidc.issuer}; Temporal ${temporal.address}, namespace ${temporal.namespace})`,
  );
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    temporal.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (port taken: set LPA_CONSOLE_PORT)' : '';
    console.error(redactSecrets(`console: ${message}${taken}`));
    process.exit(1);
  });
}
