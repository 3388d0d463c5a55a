import * as fs from 'node:fs';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { StorageConfig } from '../storage/types';
import { MissingSecretError } from './secrets';

export const DEFAULT_TASK_QUEUE = 'lp-archive';

/**
 * How long a stopping worker (SIGTERM) lets its running activities finish before it cancels them. A
 * container's termination grace must exceed this plus the longest activity heartbeat timeout (the Helm chart
 * gives 180 s).
 */
export const WORKER_SHUTDOWN_GRACE_SECONDS = 30;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where the worker and the CLI find Temporal: the standard TEMPORAL_* variables / temporal.toml profile
 * (address, namespace, TLS with client certificate, API key, gRPC metadata), read from `env`.
 */
export function temporalConnectConfig(env: Env = process.env) {
  // The given environment, not necessarily process.env: the CLI's includes its env file.
  const cfg = loadClientConnectConfig({ overrideEnvVars: definedOnly(env) });
  return {
    connectionOptions: cfg.connectionOptions,
    namespace: cfg.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.LPA_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
  };
}

function definedOnly(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Blob storage of the worker: a connection string (Azurite, or a key) or an account URL with Entra ID. */
export function storageConfigFromEnv(env: Env = process.env): StorageConfig {
  const prefix = env.LPA_CONTAINER_PREFIX;
  if (env.AZURE_STORAGE_CONNECTION_STRING) {
    return {
      kind: 'connection-string',
      connectionString: env.AZURE_STORAGE_CONNECTION_STRING,
      ...(prefix ? { containerPrefix: prefix } : {}),
    };
  }
  if (env.AZURE_STORAGE_ACCOUNT_URL) {
    return { kind: 'account-url', accountUrl: env.AZURE_STORAGE_ACCOUNT_URL, ...(prefix ? { containerPrefix: prefix } : {}) };
  }
  throw new MissingSecretError(
    'AZURE_STORAGE_CONNECTION_STRING',
    'or AZURE_STORAGE_ACCOUNT_URL: the Azure Blob Storage account where items are staged',
  );
}

export function metricsPortFromEnv(env: Env = process.env): number | undefined {
  const v = env.LPA_METRICS_PORT;
  if (v === undefined) return 9464;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** A worker setting in the environment that cannot be used; the message names the variable and the fix. */
export class WorkerEnvError extends Error {
  override readonly name = 'WorkerEnvError';
}

/**
 * Where the worker gets its workflow code: a bundle made ahead of time (`LPA_WORKFLOW_BUNDLE`, written by
 * `npm run bundle:workflows`), or, when unset, the sources, bundled by the worker at start (webpack in the
 * worker process: slower start and about 100 MB more peak memory; fine for development).
 */
export function workflowCodeFromEnv(
  env: Env = process.env,
  exists: (p: string) => boolean = fs.existsSync,
): { readonly bundlePath?: string } {
  const p = env.LPA_WORKFLOW_BUNDLE;
  if (p === undefined || p === '') return {};
  if (!exists(p)) {
    throw new WorkerEnvError(
      `LPA_WORKFLOW_BUNDLE names ${p}, which does not exist: run \`npm run bundle:workflows -- --out ${p}\` from this release, or unset LPA_WORKFLOW_BUNDLE to bundle at start.`,
    );
  }
  return { bundlePath: p };
}

/** Default of {@link activityConcurrencyFromEnv}: enough lanes for many connectors, few enough to bound memory. */
export const DEFAULT_MAX_CONCURRENT_ACTIVITIES = 16;

/**
 * How many activities this worker runs at once (`LPA_MAX_CONCURRENT_ACTIVITIES`). A running activity holds one
 * conversation or item at a time (imports within {@link itemMemoryFromEnv}); more tasks wait in the task queue
 * (for this or another worker), they are not lost.
 */
export function activityConcurrencyFromEnv(env: Env = process.env): number {
  const v = env.LPA_MAX_CONCURRENT_ACTIVITIES;
  if (v === undefined || v === '') return DEFAULT_MAX_CONCURRENT_ACTIVITIES;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new WorkerEnvError(
      `LPA_MAX_CONCURRENT_ACTIVITIES must be a whole number from 1 to 1000, got "${v}": unset it for the default (${DEFAULT_MAX_CONCURRENT_ACTIVITIES}).`,
    );
  }
  return n;
}

/** Default of {@link itemMemoryFromEnv}, MB: keeps a worker with 50 connectors under 400 MB (bench/README.md). */
export const DEFAULT_ITEM_MEMORY_MB = 64;

/**
 * How many bytes of conversations this worker's running activities may hold in memory (`LPA_ITEM_MEMORY_MB`),
 * once for items and once for fetches: a conversion reserves about 2.5 times its downloaded files, a seal twice
 * its item (at most 16 MB), an import about three times its item (the parsed item and the Graph request built
 * from it), a fetch 64 KB per conversation of its batch; they wait their turn when the budget is used up. An
 * item or batch larger than the budget runs alone.
 */
export function itemMemoryFromEnv(env: Env = process.env): number {
  const v = env.LPA_ITEM_MEMORY_MB;
  if (v === undefined || v === '') return DEFAULT_ITEM_MEMORY_MB * 2 ** 20;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 8 || n > 65_536) {
    throw new WorkerEnvError(
      `LPA_ITEM_MEMORY_MB must be a whole number of megabytes from 8 to 65536, got "${v}": unset it for the default (${DEFAULT_ITEM_MEMORY_MB}).`,
    );
  }
  return n * 2 ** 20;
}

/**
 * glibc malloc settings for the worker: freed item buffers otherwise stay in per-thread arenas and under a
 * self-raising mmap threshold, so resident memory keeps the peak of every large item; 64 KB puts socket reads
 * in mappings of their own (figures: bench/README.md). Read at process start: set them where the worker starts.
 */
export const RECOMMENDED_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '65536' };

/**
 * The line the worker logs at start when it runs on glibc without {@link RECOMMENDED_MALLOC_ENV}; undefined
 * when they are set or the C library is another (musl, macOS, Windows: they do not apply).
 */
export function mallocAdvice(
  env: Env = process.env,
  cLibrary: { readonly glibc?: string } = { glibc: glibcRuntimeVersion() },
): string | undefined {
  if (cLibrary.glibc === undefined) return undefined;
  const missing = Object.keys(RECOMMENDED_MALLOC_ENV).filter((k) => env[k] === undefined || env[k] === '');
  if (missing.length === 0) return undefined;
  const settings = Object.entries(RECOMMENDED_MALLOC_ENV)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `glibc malloc is not tuned (${missing.join(', ')} unset): peak memory is about 50 MB higher with large items; start the worker with ${settings} in its environment`;
}

/**
 * V8 flags for the worker process: `--max-semi-space-size=4` (MB) bounds the young generation at 8 MB instead
 * of 32, so the Buffer objects of dropped items are found sooner (figures: bench/README.md). Read at process
 * start: it goes on the command line or in NODE_OPTIONS.
 */
export const RECOMMENDED_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/** The flag's name as V8 accepts it, with dashes or underscores, with or without a value. */
const flagName = (flag: string): string => flag.split('=')[0]!.replace(/_/g, '-');

/** The {@link RECOMMENDED_NODE_FLAGS} that neither the command line nor NODE_OPTIONS sets (to any value). */
export function missingNodeFlags(execArgv: readonly string[], env: Env): string[] {
  const given = new Set([...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].filter((a) => a.startsWith('--')).map(flagName));
  return RECOMMENDED_NODE_FLAGS.filter((f) => !given.has(flagName(f)));
}

/** The line the worker logs at start when it runs without {@link RECOMMENDED_NODE_FLAGS}; undefined when they are set. */
export function nodeFlagsAdvice(execArgv: readonly string[] = process.execArgv, env: Env = process.env): string | undefined {
  const missing = missingNodeFlags(execArgv, env);
  if (missing.length === 0) return undefined;
  return `V8's young generation is not bounded (${missing.map(flagName).join(', ')} unset): peak memory is about 60 MB higher with many connectors; start the worker as \`node ${RECOMMENDED_NODE_FLAGS.join(' ')} dist/src/worker.js\``;
}

function glibcRuntimeVersion(): string | undefined {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime;
}
