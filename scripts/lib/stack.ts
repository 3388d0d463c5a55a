import { codecServerOptionsFromEnv, startCodecServer } from '../../src/codec';
import { ensureDevCodecSecrets } from '../../src/codec/dev-secrets';
import { startAzurite, type AzuriteServer } from './azurite';
import { ensureLocalCa } from './local-ca';
import { startGraphEmulatorProcess, startLivePersonEmulatorProcess, type EmulatorProcess } from './emulators';
import { fromProjectRoot } from './paths';
import { assertPortFree, findFreePort, isPortFree } from './ports';
import type { ProcessLog } from './process';
import type { StackConfig } from './stack-config';
import { ensureTemporalCli } from './temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-server';

/** The services `startStack` can run (the worker is not one: it is started by `npm run worker` or the demo). */
export const STACK_SERVICES = ['temporal', 'azurite', 'liveperson', 'graph'] as const;
export type StackService = (typeof STACK_SERVICES)[number];

/** Options of {@link startStack}. */
export interface StartStackOptions {
  /** Which services to start; default all. */
  readonly services?: readonly StackService[];
  /** Child output: default printed with a `[service]` prefix. */
  readonly log?: ProcessLog;
  /** Progress messages ("starting Temporal…"); default stderr. */
  readonly progress?: (message: string) => void;
  readonly startTimeoutMs?: number;
}

/** The codec server started with Temporal (temporal-dev.yaml `temporal.codecServer`); the Web UI decodes through it. */
export interface StackCodecServer {
  /** For `temporal workflow show --codec-endpoint <url> --codec-auth "Bearer $(cat <tokenFile>)"`. */
  readonly url: string;
  readonly tokenFile: string;
  /**
   * Turns payload encryption on for a worker and starter against this stack (LPA_CODEC_KEYS_FILE). Not in
   * {@link RunningStack.env}: every client of the stack needs it too (dataConverterFromEnv), or it cannot
   * read what the worker writes.
   */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts the codec server in this process with the stack's generated key and token. The local Web UI has
 * no login, so it cannot send a bearer token: it gets an endpoint with the token in the path instead.
 */
async function startStackCodecServer(
  config: StackConfig,
  settings: { readonly port: number; readonly secretsDir: string },
  log: ProcessLog | undefined,
  progress: (m: string) => void,
): Promise<StackCodecServer & { readonly uiEndpoint: string }> {
  const secrets = ensureDevCodecSecrets(fromProjectRoot(settings.secretsDir));
  const ui = config.temporal.uiPort;
  const options = codecServerOptionsFromEnv({
    LPA_CODEC_KEYS_FILE: secrets.keysFile,
    LPA_CODEC_SERVER_TOKEN_FILE: secrets.tokenFile,
    LPA_CODEC_CORS_ORIGINS: `http://127.0.0.1:${ui},http://localhost:${ui}`,
    LPA_CODEC_SERVER_TOKEN_IN_PATH: 'true',
  });
  // Only the Web UI depends on this port and it is told the real one, so a taken port moves instead of failing.
  const port = (await isPortFree(settings.port)) ? settings.port : await findFreePort();
  if (port !== settings.port) progress(`codec server port ${settings.port} is taken; using ${port}`);
  const server = await startCodecServer({
    ...options,
    port,
    log: (line) => {
      if (typeof log === 'function') log(line);
      else if (log !== 'silent') process.stderr.write(`[codec] ${line}\n`);
    },
  });
  return {
    url: server.url,
    uiEndpoint: server.uiEndpoint,
    tokenFile: secrets.tokenFile,
    env: { LPA_CODEC_KEYS_FILE: secrets.keysFile },
    stop: () => server.close(),
  };
}

/** A running local stack. Fields are present for the services that were started. */
export interface RunningStack {
  readonly config: StackConfig;
  readonly temporal?: TemporalDevServer;
  readonly azurite?: AzuriteServer;
  readonly liveperson?: EmulatorProcess & { readonly account: string };
  readonly graph?: EmulatorProcess;
  /** Started with Temporal when temporal-dev.yaml has `temporal.codecServer`. */
  readonly codec?: StackCodecServer;
  /**
   * Environment for the worker and the starter against this stack (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
   * AZURE_STORAGE_CONNECTION_STRING, LPA_CONTAINER_PREFIX, LPA_TASK_QUEUE, LPA_METRICS_PORT, …).
   */
  readonly env: Readonly<Record<string, string>>;
  /** Stops every started service (in parallel) and waits until all have exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** The ports each service needs, with the temporal-dev.yaml key to name when one is taken. */
export function portsOf(config: StackConfig, service: StackService): { port: number; what: string; key: string }[] {
  switch (service) {
    case 'temporal':
      return [
        { port: config.temporal.port, what: 'Temporal frontend', key: 'temporal.port' },
        { port: config.temporal.uiPort, what: 'Temporal Web UI', key: 'temporal.uiPort' },
      ];
    case 'azurite':
      return [{ port: config.azurite.port, what: 'Azurite blob service', key: 'azurite.port' }];
    case 'liveperson':
      return [{ port: config.emulators.liveperson.port, what: 'LivePerson emulator', key: 'emulators.liveperson.port' }];
    case 'graph':
      return [{ port: config.emulators.graph.port, what: 'Graph emulator', key: 'emulators.graph.port' }];
  }
}

/**
 * Starts the local stack described by temporal-dev.yaml: checks every port first (so a taken port fails
 * before anything starts), then starts the services in parallel and resolves when each is healthy. If any
 * fails, the others are stopped and the first error is thrown.
 */
export async function startStack(config: StackConfig, options: StartStackOptions = {}): Promise<RunningStack> {
  const services = new Set<StackService>(options.services ?? STACK_SERVICES);
  const progress = options.progress ?? ((m: string) => process.stderr.write(`[stack] ${m}\n`));
  const { log, startTimeoutMs } = options;

  for (const service of services) {
    for (const { port, what, key } of portsOf(config, service)) await assertPortFree(port, what, { configKey: key });
  }
  const binary = services.has('temporal') ? await ensureTemporalCli({ version: config.temporal.cli.version }) : undefined;

  const stops: (() => Promise<void>)[] = [];
  const started: {
    temporal?: TemporalDevServer;
    azurite?: AzuriteServer;
    liveperson?: EmulatorProcess & { account: string };
    graph?: EmulatorProcess;
    codec?: StackCodecServer;
  } = {};
  const track = <T extends { stop(): Promise<void> }>(what: string, p: Promise<T>): Promise<T> =>
    p.then((server) => {
      stops.push(() => server.stop());
      progress(`${what} is up`);
      return server;
    });

  const starts: Promise<unknown>[] = [];
  let uiCodecEndpoint: string | undefined;
  if (services.has('temporal') && config.temporal.codecServer) {
    // Before Temporal, whose Web UI is given the codec endpoint; it starts in milliseconds.
    const { uiEndpoint, ...codec } = await startStackCodecServer(config, config.temporal.codecServer, log, progress);
    stops.push(() => codec.stop());
    started.codec = codec;
    uiCodecEndpoint = uiEndpoint;
    progress(`codec server is up on ${codec.url} (token in ${codec.tokenFile})`);
  }
  if (services.has('temporal')) {
    progress(`starting Temporal dev server on 127.0.0.1:${config.temporal.port} (UI ${config.temporal.uiPort})`);
    starts.push(
      track(
        'Temporal',
        startTemporalDevServer({
          binary,
          port: config.temporal.port,
          uiPort: config.temporal.uiPort,
          uiCodecEndpoint,
          dbFile: fromProjectRoot(config.temporal.dbFile),
          namespace: config.temporal.namespace,
          searchAttributes: config.temporal.searchAttributes,
          dynamicConfig: config.temporal.dynamicConfig,
          log,
          startTimeoutMs,
        }),
      ).then((s) => (started.temporal = s)),
    );
  }
  if (services.has('azurite')) {
    progress(`starting Azurite on 127.0.0.1:${config.azurite.port}`);
    starts.push(
      track(
        'Azurite',
        startAzurite({ port: config.azurite.port, location: fromProjectRoot(config.azurite.location), log, startTimeoutMs }),
      ).then((s) => (started.azurite = s)),
    );
  }
  if (services.has('liveperson')) {
    const lp = config.emulators.liveperson;
    progress(`starting LivePerson emulator on 127.0.0.1:${lp.port}`);
    starts.push(
      track('LivePerson emulator', startLivePersonEmulatorProcess({ ...lp, log, startTimeoutMs })).then(
        (s) => (started.liveperson = { ...s, account: lp.account }),
      ),
    );
  }
  if (services.has('graph')) {
    const graph = config.emulators.graph;
    progress(`starting Graph emulator on 127.0.0.1:${graph.port}`);
    starts.push(track('Graph emulator', startGraphEmulatorProcess({ ...graph, log, startTimeoutMs })).then((s) => (started.graph = s)));
  }

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= Promise.allSettled(stops.map((s) => s())).then(() => undefined);
    return stopped;
  };

  const results = await Promise.allSettled(starts);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }

  const env: Record<string, string> = {
    LPA_TASK_QUEUE: config.worker.taskQueue,
    LPA_METRICS_PORT: String(config.worker.metricsPort),
  };
  if (started.temporal) {
    env.TEMPORAL_ADDRESS = started.temporal.address;
    env.TEMPORAL_NAMESPACE = started.temporal.namespace;
  }
  if (started.azurite) {
    env.AZURE_STORAGE_CONNECTION_STRING = started.azurite.connectionString;
    env.LPA_CONTAINER_PREFIX = config.azurite.containerPrefix;
  }
  // The Graph emulator serves HTTPS signed by the local CA: workers and the starter must trust it from their start.
  if (started.graph) env.NODE_EXTRA_CA_CERTS = ensureLocalCa().caPath;
  return { config, ...started, env, stop };
}
