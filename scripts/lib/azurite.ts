import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from './paths';
import { findFreePort } from './ports';
import { startProcess, type ManagedProcess, type ProcessLog } from './process';
import { waitForHttp } from './wait';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Options of {@link startAzurite}. */
export interface AzuriteOptions {
  readonly host?: string;
  /** Blob port; 0 or omitted: a free port. */
  readonly port?: number;
  /** Data folder (created if missing). Ignored with `inMemory`. */
  readonly location?: string;
  /** Keep all blobs in memory (tests). Default when no `location` is given. */
  readonly inMemory?: boolean;
  readonly log?: ProcessLog;
  readonly name?: string;
  readonly startTimeoutMs?: number;
}

/** A running Azurite blob service. */
export interface AzuriteServer {
  /** Connection string for `BlobServiceClient.fromConnectionString` / `StorageConfig`. */
  readonly connectionString: string;
  /** e.g. `http://127.0.0.1:10000/devstoreaccount1`. */
  readonly blobEndpoint: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** The connection string of the Azurite development account at `blobEndpoint`. */
export function azuriteConnectionString(blobEndpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobEndpoint};`;
}

/** Starts Azurite's blob service (npm dev dependency `azurite`) and resolves once it answers HTTP. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await findFreePort(host));
  const inMemory = options.inMemory ?? options.location === undefined;
  // Run azurite's entry with our own node binary: one process (no npx/shell wrapper) is one pid to stop.
  const main = path.join(
    path.dirname(require.resolve('azurite/package.json', { paths: [PROJECT_ROOT] })),
    'dist',
    'src',
    'blob',
    'main.js',
  );
  const args = [main, '--blobHost', host, '--blobPort', String(port), '--skipApiVersionCheck', '--disableTelemetry', '--silent'];
  if (inMemory) args.push('--inMemoryPersistence');
  else if (options.location) {
    fs.mkdirSync(options.location, { recursive: true });
    args.push('--location', options.location);
  }
  const proc = await startProcess({ name: options.name ?? 'azurite', command: process.execPath, args, log: options.log });
  const blobEndpoint = `http://${host}:${port}/${AZURITE_ACCOUNT}`;
  try {
    // Any HTTP answer means the server is up; unauthenticated requests get 4xx by design.
    await waitForHttp(`${blobEndpoint}?comp=list`, {
      service: 'Azurite',
      acceptStatus: (s) => s < 500,
      timeoutMs: options.startTimeoutMs ?? 30_000,
      process: proc,
    });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    connectionString: azuriteConnectionString(blobEndpoint),
    blobEndpoint,
    port,
    process: proc,
    stop: async () => {
      await proc.stop();
    },
  };
}
