import { randomBytes } from 'node:crypto';
import { DEV_CONSOLE_CLIENT } from '../../emulators/identity/constants';
import { DEV_GROUPS } from '../../emulators/identity/users';
import { healthy, listeningUrl, startTsEntry, type EmulatorProcess } from './emulators';
import type { ProcessLog } from './process';

const LISTENING = /listening on (http:\/\/[^\s]+)/;

/** Options of {@link startConsoleProcess}. */
export interface ConsoleProcessOptions {
  /** A fixed port: the provider must know the redirect URI before the console starts. */
  readonly port: number;
  /** The dev identity provider's issuer URL. */
  readonly issuer: string;
  /**
   * The CLI environment the console reads Temporal and blob storage with (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
   * AZURE_STORAGE_CONNECTION_STRING, LPA_CONTAINER_PREFIX, LPA_CODEC_KEYS_FILE).
   */
  readonly env: Readonly<Record<string, string>>;
  readonly log?: ProcessLog;
  readonly startTimeoutMs?: number;
}

/**
 * The console environment of the local stack: sign-in at the dev provider as its console client; the
 * operators group acts, the compliance group reads. A new session secret per start (sessions end with it).
 */
export function devConsoleEnv(issuer: string, port: number): Record<string, string> {
  return {
    LPA_CONSOLE_PORT: String(port),
    LPA_CONSOLE_HOST: '127.0.0.1',
    LPA_CONSOLE_OIDC_ISSUER: issuer,
    LPA_CONSOLE_OIDC_CLIENT_ID: DEV_CONSOLE_CLIENT.clientId,
    LPA_CONSOLE_OIDC_CLIENT_SECRET: DEV_CONSOLE_CLIENT.clientSecret,
    LPA_CONSOLE_OIDC_SCOPES: 'openid profile email groups',
    LPA_CONSOLE_OPERATORS: DEV_GROUPS.operators,
    LPA_CONSOLE_READERS: DEV_GROUPS.compliance,
    LPA_CONSOLE_SESSION_SECRET: randomBytes(32).toString('hex'),
  };
}

/** The redirect URIs to register for a console on this port (both loopback names). */
export function consoleRedirectUris(port: number): { redirect: string[]; postLogout: string[] } {
  const hosts = ['127.0.0.1', 'localhost'];
  return {
    redirect: hosts.map((h) => `http://${h}:${port}/auth/callback`),
    postLogout: hosts.map((h) => `http://${h}:${port}/signed-out`),
  };
}

/** Starts src/console-server.ts against the dev provider and waits until `/health` answers. */
export async function startConsoleProcess(options: ConsoleProcessOptions): Promise<EmulatorProcess> {
  const { port } = options;
  let announced: string | undefined;
  const proc = await startTsEntry(
    'console',
    'src/console-server.ts',
    [],
    options.log,
    (line) => (announced ??= LISTENING.exec(line)?.[1]),
    { ...options.env, ...devConsoleEnv(options.issuer, port) },
  );
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const url = await listeningUrl(proc, 'console', () => announced, timeoutMs);
  await healthy(proc, 'console', `${url}/health`, timeoutMs);
  return {
    url,
    port: Number(new URL(url).port),
    process: proc,
    stop: async () => {
      await proc.stop();
    },
  };
}
