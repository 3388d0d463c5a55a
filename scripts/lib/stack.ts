import { DEV_API_AUDIENCE } from '../../emulators/identity/constants';
import { DEV_GROUPS } from '../../emulators/identity/users';
import { createAccessTokenVerifier } from '../../src/auth/access-token-verifier';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/principal';
import { EncryptionCodec, keyRingFromEnv, startCodecServer } from '../../src/codec';
import { ensureDevCodecSecrets } from '../../src/codec/dev-secrets';
import { AZURITE_ACCOUNT, azuriteConnectionString, startAzurite, type AzuriteServer } from './azurite';
import { consoleRedirectUris, startConsoleProcess } from './console-process';
import { startGraphEmulatorProcess, startIdentityEmulatorProcess, startLivePersonEmulatorProcess, type EmulatorProcess } from './emulators';
import { ensureLocalCa } from './local-ca';
import { fromProjectRoot } from './paths';
import { assertPortFree, findFreePort, isPortFree } from './ports';
import type { ProcessLog } from './process';
import type { StackConfig } from './stack-config';
import { ensureTemporalCli } from './temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-server';

/** The services `startStack` can run (the worker is not one: it is started by `npm run worker` or the demo). */
export const STACK_SERVICES = ['temporal', 'azurite', 'liveperson', 'graph', 'identity', 'console'] as const;
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
  /** For the Web UI and `temporal workflow show --codec-endpoint <url>` (from this machine, no token needed). */
  readonly url: string;
  /** The dev provider it also takes access tokens from (`--codec-auth "Bearer <token>"`), when the stack has one. */
  readonly issuer?: string;
  /**
   * Turns payload encryption on for a worker and starter against this stack (LPA_CODEC_KEYS_FILE). Not in
   * {@link RunningStack.env}: every client of the stack needs it too (dataConverterFromEnv), or it cannot
   * read what the worker writes.
   */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** The dev identity provider's issuer (temporal-dev.yaml `emulators.identity`), when the stack has one. */
function devIssuer(config: StackConfig): string | undefined {
  const identity = config.emulators.identity;
  return identity ? `http://127.0.0.1:${identity.port}` : undefined;
}

/**
 * Starts the codec server in this process with the stack's generated key. The dev server's Web UI has no
 * login, so it can forward no access token: this codec server alone runs in the loopback mode that decodes
 * for tokenless callers on this machine (bound to 127.0.0.1, loopback Host, the UI's origin; a production
 * codec server cannot turn it on). It also verifies access tokens of the dev provider, as production does.
 */
async function startStackCodecServer(
  config: StackConfig,
  settings: { readonly port: number; readonly secretsDir: string },
  log: ProcessLog | undefined,
  progress: (m: string) => void,
): Promise<StackCodecServer> {
  const secrets = ensureDevCodecSecrets(fromProjectRoot(settings.secretsDir));
  const ui = config.temporal.uiPort;
  const issuer = devIssuer(config);
  // Only the Web UI depends on this port and it is told the real one, so a taken port moves instead of failing.
  const port = (await isPortFree(settings.port)) ? settings.port : await findFreePort();
  if (port !== settings.port) progress(`codec server port ${settings.port} is taken; using ${port}`);
  const server = await startCodecServer({
    codec: new EncryptionCodec(keyRingFromEnv({ LPA_CODEC_KEYS_FILE: secrets.keysFile })!),
    ...(issuer
      ? {
          verifier: createAccessTokenVerifier({
            issuer,
            audience: DEV_API_AUDIENCE,
            allow: { users: [], groups: [DEV_GROUPS.operators] },
            claims: DEFAULT_CLAIM_NAMES,
            clockToleranceSeconds: 60,
          }),
        }
      : {}),
    trustLoopbackWithoutToken: true,
    host: '127.0.0.1',
    port,
    allowedOrigins: [`http://127.0.0.1:${ui}`, `http://localhost:${ui}`],
    log: (line) => {
      if (typeof log === 'function') log(line);
      else if (log !== 'silent') process.stderr.write(`[codec] ${line}\n`);
    },
  });
  return {
    url: server.url,
    ...(issuer ? { issuer } : {}),
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
  /** The dev OpenID Connect provider (temporal-dev.yaml `emulators.identity`). */
  readonly identity?: EmulatorProcess;
  /** The connector console (temporal-dev.yaml `console`), signing in at `identity`. */
  readonly console?: EmulatorProcess;
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
    case 'identity':
      return config.emulators.identity
        ? [{ port: config.emulators.identity.port, what: 'dev identity provider', key: 'emulators.identity.port' }]
        : [];
    case 'console':
      return config.console ? [{ port: config.console.port, what: 'connector console', key: 'console.port' }] : [];
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
    identity?: EmulatorProcess;
    console?: EmulatorProcess;
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
    const codec = await startStackCodecServer(config, config.temporal.codecServer, log, progress);
    stops.push(() => codec.stop());
    started.codec = codec;
    uiCodecEndpoint = codec.url;
    progress(`codec server is up on ${codec.url}`);
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

  const identity = config.emulators.identity;
  if (services.has('identity') && identity) {
    progress(`starting the dev identity provider on 127.0.0.1:${identity.port}`);
    const uris = config.console ? consoleRedirectUris(config.console.port) : { redirect: [], postLogout: [] };
    starts.push(
      track(
        'dev identity provider',
        startIdentityEmulatorProcess({
          port: identity.port,
          consoleRedirectUris: uris.redirect,
          consolePostLogoutUris: uris.postLogout,
          log,
          startTimeoutMs,
        }),
      ).then((s) => (started.identity = s)),
    );
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
  // The console reads Temporal and Azurite and signs in at the provider: it starts once they are up (or reused).
  const issuer = devIssuer(config);
  if (services.has('console') && config.console) {
    if (!issuer) progress('no console: temporal-dev.yaml has no emulators.identity to sign in with');
    else {
      progress(`starting the connector console on 127.0.0.1:${config.console.port}`);
      try {
        started.console = await track(
          'connector console',
          startConsoleProcess({
            port: config.console.port,
            issuer,
            env: {
              TEMPORAL_ADDRESS: `127.0.0.1:${config.temporal.port}`,
              TEMPORAL_NAMESPACE: config.temporal.namespace,
              AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(`http://127.0.0.1:${config.azurite.port}/${AZURITE_ACCOUNT}`),
              LPA_CONTAINER_PREFIX: config.azurite.containerPrefix,
              ...(config.temporal.codecServer
                ? { LPA_CODEC_KEYS_FILE: ensureDevCodecSecrets(fromProjectRoot(config.temporal.codecServer.secretsDir)).keysFile }
                : {}),
            },
            log,
            startTimeoutMs,
          }),
        );
      } catch (err) {
        await stop();
        throw err;
      }
    }
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
