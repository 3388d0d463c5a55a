import { randomBytes } from 'node:crypto';
import { startTemporalDevServer, SUGGEST_CONTINUE_AS_NEW_KEY, type TemporalDevServer } from '../../scripts/lib/temporal-server';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { TEST_ENV } from './env';

/**
 * Path of the Temporal CLI binary (resolved by the global setup), e.g. for
 * `TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path } } })`.
 */
export function temporalCliPath(): Promise<string> {
  return ensureTemporalCli();
}

/** The shared services the jest global setup started (or reused). */
export interface TestServices {
  /** `host:port`, e.g. for `TestWorkflowEnvironment.createFromExistingServer({ address })`. */
  readonly temporalAddress: string;
  readonly temporalNamespace: string;
  /** For `StorageConfig { kind: 'connection-string' }`. Use a unique container prefix per test file. */
  readonly azuriteConnectionString: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: the jest global setup (test/setup/global-setup.ts) did not run or failed. ` +
        'Run tests with `npm test` / `npx jest`, not with --globalSetup disabled, or set the variable to a running service.',
    );
  return value;
}

/** Reads the addresses published by the global setup; throws a clear error when it did not run. */
export function testServices(): TestServices {
  return {
    temporalAddress: required(TEST_ENV.temporalAddress),
    temporalNamespace: process.env[TEST_ENV.temporalNamespace] || 'default',
    azuriteConnectionString: required(TEST_ENV.azuriteConnectionString),
  };
}

/**
 * A short random id for names that must not collide between test files or with a reused developer stack
 * (container prefixes, workflow ids, task queues). Lowercase letters and digits only, so it is valid anywhere.
 */
export function uniqueId(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** Options of {@link startExtraTemporalServer}. */
export interface ExtraTemporalServerOptions {
  /** History event count after which `workflowInfo().continueAsNewSuggested` turns true (server default 4096). */
  readonly suggestContinueAsNewAfterEvents?: number;
  /** More `--dynamic-config-value` pairs. */
  readonly dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Starts a private headless in-memory dev server on a free port (with the LP search attributes) for a
 * test that needs different server settings, e.g. a low continue-as-new threshold. Stop it in afterAll.
 */
export async function startExtraTemporalServer(options: ExtraTemporalServerOptions = {}): Promise<TemporalDevServer> {
  const dynamicConfig: Record<string, string | number | boolean> = { ...options.dynamicConfig };
  if (options.suggestContinueAsNewAfterEvents !== undefined)
    dynamicConfig[SUGGEST_CONTINUE_AS_NEW_KEY] = options.suggestContinueAsNewAfterEvents;
  return startTemporalDevServer({ headless: true, inMemory: true, log: 'silent', name: 'test-temporal-extra', dynamicConfig });
}
