import { startAzurite } from '../../scripts/lib/azurite';
import { ensureTemporalCli, TEMPORAL_CLI_ENV } from '../../scripts/lib/temporal-cli';
import { startTemporalDevServer, temporalNamespaceReady } from '../../scripts/lib/temporal-server';
import { waitForHttp, waitUntil } from '../../scripts/lib/wait';
import { HealthCheckTimeoutError } from '../../scripts/lib/errors';
import { ENV_FILE_VARIABLE } from '../../src/config/env-file';
import { TEST_ENV } from './env';
import { setStartedServices, type StartedService } from './started';

/** A service given in the environment must answer, or every test would fail with a confusing network error. */
async function checkReused(variable: string, target: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (err) {
    const problem = err instanceof HealthCheckTimeoutError ? (err.lastProblem ?? 'no answer') : (err as Error).message;
    throw new Error(
      `${variable} is set, but ${target} does not answer (${problem}). ` +
        `Start that service (e.g. \`npm run stack\`) or unset ${variable} so the tests start their own.`,
      { cause: err },
    );
  }
}

async function provideTemporal(started: StartedService[]): Promise<void> {
  const reused = process.env[TEST_ENV.temporalAddress];
  const namespace = process.env[TEST_ENV.temporalNamespace] || 'default';
  process.env[TEST_ENV.temporalNamespace] = namespace;
  if (reused) {
    await checkReused(TEST_ENV.temporalAddress, reused, () =>
      waitUntil(reused, () => temporalNamespaceReady(reused, namespace), { timeoutMs: 5_000 }),
    );
    return;
  }
  const server = await startTemporalDevServer({ headless: true, inMemory: true, log: 'silent', name: 'test-temporal' });
  started.push({ name: 'Temporal dev server', stop: () => server.stop() });
  process.env[TEST_ENV.temporalAddress] = server.address;
  process.env[TEST_ENV.temporalNamespace] = server.namespace;
}

async function provideAzurite(started: StartedService[]): Promise<void> {
  const reused = process.env[TEST_ENV.azuriteConnectionString];
  if (reused) {
    const endpoint = /BlobEndpoint=([^;]+)/.exec(reused)?.[1];
    if (endpoint)
      await checkReused(TEST_ENV.azuriteConnectionString, endpoint, () =>
        waitForHttp(endpoint, { acceptStatus: (s) => s < 500, timeoutMs: 5_000 }),
      );
    return;
  }
  const server = await startAzurite({ inMemory: true, log: 'silent', name: 'test-azurite' });
  started.push({ name: 'Azurite', stop: () => server.stop() });
  process.env[TEST_ENV.azuriteConnectionString] = server.connectionString;
}

/**
 * Jest globalSetup: one headless in-memory Temporal dev server and one in-memory Azurite, each on a free
 * port, started in parallel and published through process.env before jest creates its workers (or its
 * in-band test environment), so every test file reads them with `testServices()`. Variables already set
 * (e.g. pointing at `npm run stack`) are checked and reused instead.
 */
export default async function globalSetup(): Promise<void> {
  const started: StartedService[] = [];
  setStartedServices(started);

  // No env file for anything a test starts (workers, the CLI): after `npm run demo` the checkout has a
  // .stack/env whose codec key and addresses would otherwise leak into the tests' workers.
  process.env[ENV_FILE_VARIABLE] = '';

  // Resolve the CLI once; workers inherit the path and tests starting extra servers skip the version check.
  process.env[TEMPORAL_CLI_ENV] = await ensureTemporalCli();

  const results = await Promise.allSettled([provideTemporal(started), provideAzurite(started)]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.allSettled(started.map((s) => s.stop()));
    throw failure.reason;
  }
}
