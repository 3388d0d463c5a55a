import { Connection } from '@temporalio/client';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ServiceExitedError } from './errors';
import { findFreePort } from './ports';
import { startProcess, type ManagedProcess, type ProcessLog } from './process';
import { ensureTemporalCli } from './temporal-cli';
import { waitForHttp, waitUntil } from './wait';

/** Search attribute types the dev server accepts for `--search-attribute NAME=TYPE`. */
export const SEARCH_ATTRIBUTE_TYPES = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'] as const;
export type SearchAttributeType = (typeof SEARCH_ATTRIBUTE_TYPES)[number];

/** The custom search attributes the connector workflow upserts (visible as Web UI columns/filters). */
export const LP_SEARCH_ATTRIBUTES: Readonly<Record<string, SearchAttributeType>> = {
  LpConnectorName: 'Keyword',
  LpConnectorState: 'Keyword',
  LpCursorTime: 'Datetime',
};

/** Dynamic config key that sets after how many history events `continueAsNewSuggested` turns true (default 4096). */
export const SUGGEST_CONTINUE_AS_NEW_KEY = 'limit.historyCount.suggestContinueAsNew';

/** Options of {@link startTemporalDevServer}. */
export interface TemporalDevServerOptions {
  /** Path of the `temporal` binary; default: {@link ensureTemporalCli}. */
  readonly binary?: string;
  readonly ip?: string;
  /** gRPC frontend port; 0 or omitted: a free port. */
  readonly port?: number;
  /** Web UI port; ignored when `headless`. Default: port + 1000 (the CLI's default). */
  readonly uiPort?: number;
  readonly headless?: boolean;
  /** Codec server the Web UI calls to decode payloads (`--ui-codec-endpoint`); ignored when headless. */
  readonly uiCodecEndpoint?: string;
  /** SQLite file; omitted (or `inMemory`) keeps everything in memory and loses it on stop. */
  readonly dbFile?: string;
  readonly inMemory?: boolean;
  /** Namespace to create and health-check; default `default` (always created). */
  readonly namespace?: string;
  /** Default {@link LP_SEARCH_ATTRIBUTES}. */
  readonly searchAttributes?: Readonly<Record<string, SearchAttributeType>>;
  /** `--dynamic-config-value KEY=JSON` pairs, e.g. `{ [SUGGEST_CONTINUE_AS_NEW_KEY]: 40 }`. */
  readonly dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  readonly extraArgs?: readonly string[];
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'never';
  /** Where the server's output goes; default printed with a `[temporal]` prefix. */
  readonly log?: ProcessLog;
  /** Log prefix / service name; default `temporal`. */
  readonly name?: string;
  readonly startTimeoutMs?: number;
}

/** A running dev server. */
export interface TemporalDevServer {
  /** `host:port` of the gRPC frontend, for `Connection.connect({address})`. */
  readonly address: string;
  readonly port: number;
  readonly namespace: string;
  /** Undefined when headless. */
  readonly uiUrl?: string;
  readonly process: ManagedProcess;
  /** Stops the server and waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * What turns Temporal's task-queue fairness on for a self-hosted server and makes it hold across the queue (the
 * README says so for production). Fairness, like priority, is kept within each partition of a task queue, and
 * tasks land on partitions at random: with the default 4, 50 connectors with equal work finished 1.3 to 2.9
 * times apart in the bench, with 1 partition 1.01. One partition serves far more tasks per second than
 * connectors make.
 */
export const FAIRNESS_DYNAMIC_CONFIG = {
  'matching.useNewMatcher': true,
  'matching.enableFairness': true,
  'matching.enableMigration': true,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
} as const;

/** The CLI arguments for `temporal server start-dev` (exported for tests and for printing). */
export function temporalDevServerArgs(
  o: TemporalDevServerOptions & { readonly port: number; readonly ip: string; readonly namespace: string },
): string[] {
  const args = ['server', 'start-dev', '--ip', o.ip, '--port', String(o.port), '--log-level', o.logLevel ?? 'warn'];
  if (o.namespace !== 'default') args.push('--namespace', o.namespace);
  // The UI's news feed fetches from the internet; the machines running this have none.
  if (o.headless) args.push('--headless');
  else {
    args.push('--ui-ip', o.ip, '--ui-disable-news-fetch');
    if (o.uiPort !== undefined) args.push('--ui-port', String(o.uiPort));
    if (o.uiCodecEndpoint) args.push('--ui-codec-endpoint', o.uiCodecEndpoint);
  }
  if (o.dbFile && !o.inMemory) {
    // WAL + synchronous=OFF: ~10x faster on SQLite (temporalite#26, sdk-typescript#1572); a dev store may lose
    // the last moments on power loss, never on a clean stop.
    args.push('--db-filename', o.dbFile, '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  }
  for (const [name, type] of Object.entries(o.searchAttributes ?? LP_SEARCH_ATTRIBUTES)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  // No version check phone-home: the machines running tests have no internet.
  // Fairness mode: a backlog is dispatched round-robin across fairness keys (each connector's activities carry
  // its name), so many connectors on one worker pool share it. Migration drains a backlog made before.
  const dynamic = { 'frontend.enableServerVersionCheck': false, ...FAIRNESS_DYNAMIC_CONFIG, ...o.dynamicConfig };
  for (const [key, value] of Object.entries(dynamic)) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  args.push(...(o.extraArgs ?? []));
  return args;
}

/** True once the frontend at `address` answers DescribeNamespace for `namespace`; throws while it does not. */
export async function temporalNamespaceReady(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: '2s' });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

/** Starts tried when the server exits because a port was taken between choosing it and binding it. */
const START_ATTEMPTS = 3;

/**
 * Starts `temporal server start-dev` bound to loopback and resolves once the namespace is served
 * (and the Web UI answers, unless headless). The caller must `stop()` it. When the server exits because an
 * address is in use (a port chosen here, or one the CLI picks for its internal services, was taken before it
 * bound it), it is started again with ports chosen anew, up to {@link START_ATTEMPTS} times.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const binary = options.binary ?? (await ensureTemporalCli());
  if (options.dbFile && !options.inMemory) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, options);
    } catch (err) {
      const portTaken = err instanceof ServiceExitedError && err.recentOutput.some((line) => /address already in use/i.test(line));
      if (!portTaken || attempt >= START_ATTEMPTS) throw err;
    }
  }
}

async function startOnce(binary: string, options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port || (await findFreePort(ip));
  const namespace = options.namespace ?? 'default';
  const name = options.name ?? 'temporal';
  // The CLI's own default is port + 1000; a chosen frontend port gets a UI port chosen the same way.
  const uiPort = options.headless ? undefined : (options.uiPort ?? (options.port ? port + 1000 : await findFreePort(ip)));
  const timeoutMs = options.startTimeoutMs ?? 60_000;

  const args = temporalDevServerArgs({ ...options, ip, port, namespace, uiPort });
  const proc = await startProcess({ name, command: binary, args, log: options.log });
  const address = `${ip}:${port}`;
  const uiUrl = uiPort === undefined ? undefined : `http://${ip}:${uiPort}`;
  try {
    await waitUntil(address, () => temporalNamespaceReady(address, namespace), {
      service: `Temporal dev server (${name})`,
      timeoutMs,
      intervalMs: 200,
      process: proc,
    });
    if (uiUrl) await waitForHttp(uiUrl, { service: 'Temporal Web UI', timeoutMs, process: proc });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    address,
    port,
    namespace,
    uiUrl,
    process: proc,
    stop: async () => {
      await proc.stop();
    },
  };
}
