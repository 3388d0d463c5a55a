import { Connection } from '@temporalio/client';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { azuriteConnectionString, AZURITE_ACCOUNT } from '../lib/azurite';
import { StackError } from '../lib/errors';
import { fromProjectRoot } from '../lib/paths';
import { assertPortFree, isPortFree } from '../lib/ports';
import type { ProcessLog } from '../lib/process';
import { portsOf, startStack, STACK_SERVICES, type RunningStack, type StackService } from '../lib/stack';
import type { StackConfig } from '../lib/stack-config';
import { ensureLocalCa } from '../lib/local-ca';

/** The stack the demo works against: partly or wholly started by us, or reused from `npm run stack`. */
export interface DemoStack {
  readonly config: StackConfig;
  /**
   * Environment for the worker and the demo's own Temporal client (TEMPORAL_*, AZURE_STORAGE_CONNECTION_STRING,
   * LPA_*, and LPA_CODEC_KEYS_FILE when the stack encrypts payloads: both sides need the same key).
   */
  readonly env: Readonly<Record<string, string>>;
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly uiUrl: string;
  readonly lpUrl: string;
  readonly graphUrl: string;
  /** The connector console, when temporal-dev.yaml has one. */
  readonly consoleUrl?: string;
  /** Services that were already running and are left running when the demo stops. */
  readonly reused: readonly StackService[];
  /** What we started (undefined when everything was reused). */
  readonly started: RunningStack | undefined;
  /** Stops only the services this demo started. */
  stop(): Promise<void>;
}

const loopback = '127.0.0.1';

async function answers(url: string, accept: (res: Response) => Promise<boolean> | boolean): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    try {
      return await accept(res);
    } finally {
      await res.body?.cancel().catch(() => undefined);
    }
  } catch {
    return false;
  }
}

/**
 * True when the service already listening on the configured port(s) is one of ours with the settings the
 * demo needs: a Temporal frontend serving the namespace (and its Web UI), Azurite, or the emulators.
 */
async function isOurs(config: StackConfig, service: StackService): Promise<boolean> {
  switch (service) {
    case 'temporal': {
      const address = `${loopback}:${config.temporal.port}`;
      try {
        const connection = await Connection.connect({ address, connectTimeout: '2s' });
        try {
          await connection.workflowService.describeNamespace({ namespace: config.temporal.namespace });
        } finally {
          await connection.close();
        }
      } catch {
        return false;
      }
      return answers(`http://${loopback}:${config.temporal.uiPort}`, (r) => r.status < 500);
    }
    case 'azurite':
      // Unauthenticated requests get 4xx by design; the Server header tells Azurite from anything else.
      return answers(`http://${loopback}:${config.azurite.port}/${AZURITE_ACCOUNT}?comp=list`, (r) =>
        (r.headers.get('server') ?? '').toLowerCase().includes('azurite'),
      );
    case 'liveperson':
      return answers(`http://${loopback}:${config.emulators.liveperson.port}/_emulator/health`, async (r) => {
        if (!r.ok) return false;
        const body = (await r.json()) as { ok?: unknown; accountId?: unknown };
        return body.ok === true && body.accountId === config.emulators.liveperson.account;
      });
    case 'graph':
      return answers(`https://${loopback}:${config.emulators.graph.port}/_emulator/stats`, (r) => r.ok);
    case 'identity':
      return answers(`http://${loopback}:${config.emulators.identity?.port ?? 0}/.well-known/openid-configuration`, (r) => r.ok);
    case 'console':
      return answers(`http://${loopback}:${config.console?.port ?? 0}/health`, (r) => r.ok);
  }
}

/** Ensures the custom search attributes exist on a reused server (a plain `temporal server start-dev` lacks them). */
async function ensureSearchAttributes(config: StackConfig): Promise<void> {
  const connection = await Connection.connect({ address: `${loopback}:${config.temporal.port}` });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: config.temporal.namespace });
    const missing = Object.keys(config.temporal.searchAttributes).filter((name) => !(name in (customAttributes ?? {})));
    if (missing.length > 0) {
      throw new StackError(
        `The running Temporal server at ${loopback}:${config.temporal.port} lacks the search attribute(s) ${missing.join(', ')} the connector ` +
          'sets. Stop it and let the demo start its own, or register them: ' +
          missing
            .map((m) => `temporal operator search-attribute create --name ${m} --type ${config.temporal.searchAttributes[m] ?? 'Keyword'}`)
            .join('; '),
      );
    }
  } finally {
    await connection.close();
  }
}

/**
 * The payload key of the stack: the one the codec server we started uses, or, when Temporal is reused from
 * `npm run stack`, the key that stack generated (same temporal-dev.yaml `codecServer.secretsDir`), so our worker
 * writes what its Web UI can decode and reads what earlier workers wrote.
 */
function codecEnv(config: StackConfig, started: RunningStack | undefined): Record<string, string> {
  if (started?.codec) return { ...started.codec.env };
  const settings = config.temporal.codecServer;
  if (!settings) return {};
  const keysFile = path.join(fromProjectRoot(settings.secretsDir), 'keys');
  return fs.existsSync(keysFile) ? { LPA_CODEC_KEYS_FILE: keysFile } : {};
}

/**
 * Starts the services of temporal-dev.yaml that are not running yet and reuses those that are (e.g. a
 * developer's `npm run stack` in another terminal). A configured port held by something that is not our
 * service fails with the usual port-taken message.
 */
export async function acquireStack(
  config: StackConfig,
  options: { readonly progress: (m: string) => void; readonly log?: ProcessLog; readonly allowReuse: boolean },
): Promise<DemoStack> {
  const toStart: StackService[] = [];
  const reused: StackService[] = [];
  for (const service of STACK_SERVICES) {
    const ports = portsOf(config, service);
    const free = await Promise.all(ports.map((p) => isPortFree(p.port)));
    if (free.every(Boolean)) toStart.push(service);
    else if (options.allowReuse && (await isOurs(config, service))) reused.push(service);
    else {
      // Names the first taken port, its service and the setting to change.
      for (const p of ports) await assertPortFree(p.port, p.what, { configKey: p.key });
    }
  }
  if (reused.length > 0) options.progress(`reusing the running ${reused.join(', ')} (left running when the demo stops)`);
  if (reused.includes('temporal')) await ensureSearchAttributes(config);

  const started =
    toStart.length > 0 ? await startStack(config, { services: toStart, progress: options.progress, log: options.log }) : undefined;

  const temporalAddress = `${loopback}:${config.temporal.port}`;
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(`http://${loopback}:${config.azurite.port}/${AZURITE_ACCOUNT}`),
    LPA_CONTAINER_PREFIX: config.azurite.containerPrefix,
    LPA_TASK_QUEUE: config.worker.taskQueue,
    LPA_METRICS_PORT: String(config.worker.metricsPort),
    // The Graph emulator (started or reused) serves HTTPS signed by the local CA.
    NODE_EXTRA_CA_CERTS: ensureLocalCa().caPath,
    ...started?.env,
    ...codecEnv(config, started),
  };
  return {
    config,
    env,
    temporalAddress,
    namespace: config.temporal.namespace,
    uiUrl: `http://${loopback}:${config.temporal.uiPort}`,
    lpUrl: `http://${loopback}:${config.emulators.liveperson.port}`,
    graphUrl: `https://${loopback}:${config.emulators.graph.port}`,
    ...(config.console && config.emulators.identity ? { consoleUrl: `http://${loopback}:${config.console.port}` } : {}),
    reused,
    started,
    stop: async () => {
      await started?.stop();
    },
  };
}
