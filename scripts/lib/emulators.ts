import * as path from 'node:path';
import { ensureLocalCa } from './local-ca';
import { PROJECT_ROOT } from './paths';
import { startProcess, type ManagedProcess, type ProcessLog } from './process';
import { waitForHttp, waitUntil } from './wait';

/** The emulators print `… listening on http(s)://127.0.0.1:<port> …` once they accept connections. */
const LISTENING = /listening on (https?:\/\/[^\s]+)/;

/** A running emulator child process. */
export interface EmulatorProcess {
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Options of the LivePerson emulator process (flags of emulators/liveperson/main.ts). */
export interface LivePersonEmulatorProcessOptions {
  readonly port?: number;
  readonly seed?: number;
  readonly account?: string;
  /** More accounts served with the same conversations (`--extra-accounts`). */
  readonly extraAccounts?: readonly string[];
  readonly conversations?: number;
  readonly days?: number;
  readonly livePerMinute?: number;
  /** Legacy chats (`--chats`, spread over `days`) and chats ending per minute (`--chat-live-per-minute`). */
  readonly chats?: number;
  readonly chatLivePerMinute?: number;
  readonly extraArgs?: readonly string[];
  readonly log?: ProcessLog;
  readonly startTimeoutMs?: number;
}

/** Options of the Graph emulator process (flags of emulators/graph/main.ts). */
export interface GraphEmulatorProcessOptions {
  readonly port?: number;
  readonly seed?: number;
  readonly extraArgs?: readonly string[];
  readonly log?: ProcessLog;
  readonly startTimeoutMs?: number;
}

/**
 * Runs a TypeScript entry point as one node process with the tsx loader (`node --import tsx`), instead of
 * `npx tsx` (npx → tsx → node), so the pid we stop is the server itself and nothing is orphaned. Its output
 * goes to `log`; `onLine` also sees every line (to learn the port it bound).
 */
export async function startTsEntry(
  name: string,
  entry: string,
  args: readonly string[],
  log: ProcessLog | undefined,
  onLine: (line: string) => void,
  env?: Readonly<Record<string, string>>,
): Promise<ManagedProcess> {
  const prefixed = (line: string): void => void process.stderr.write(`[${name}] ${line}\n`);
  const sink = log === undefined || log === 'inherit' ? prefixed : log === 'silent' ? undefined : log;
  return startProcess({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(PROJECT_ROOT, entry), ...args],
    cwd: PROJECT_ROOT,
    ...(env !== undefined ? { env } : {}),
    log: (line) => {
      onLine(line);
      sink?.(line);
    },
  });
}

/**
 * Where an emulator listens: the port asked for, or (port 0) the one it reports having bound, so two
 * processes picking "a free port" at once can never race for the same one.
 */
export async function listeningUrl(
  proc: ManagedProcess,
  service: string,
  announced: () => string | undefined,
  timeoutMs: number,
): Promise<string> {
  let url: string | undefined;
  try {
    await waitUntil(`${service} to announce its port`, () => Promise.resolve((url = announced()) !== undefined), {
      service,
      timeoutMs,
      process: proc,
    });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return url!;
}

export async function healthy(proc: ManagedProcess, service: string, url: string, timeoutMs: number): Promise<void> {
  try {
    await waitForHttp(url, { service, timeoutMs, process: proc });
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

/** Starts emulators/liveperson/main.ts and waits until its CSDS domain lookup answers 200. */
export async function startLivePersonEmulatorProcess(options: LivePersonEmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const account = options.account ?? '12345678';
  const args = ['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--account', account, '--seed', String(options.seed ?? 42)];
  if (options.extraAccounts?.length) args.push('--extra-accounts', options.extraAccounts.join(','));
  if (options.conversations !== undefined) args.push('--conversations', String(options.conversations));
  if (options.days !== undefined) args.push('--days', String(options.days));
  if (options.livePerMinute !== undefined) args.push('--live-per-minute', String(options.livePerMinute));
  if (options.chats) args.push('--chats', String(options.chats));
  if (options.chatLivePerMinute) args.push('--chat-live-per-minute', String(options.chatLivePerMinute));
  args.push(...(options.extraArgs ?? []));
  let announced: string | undefined;
  const proc = await startTsEntry(
    'liveperson',
    'emulators/liveperson/main.ts',
    args,
    options.log,
    (line) => (announced ??= LISTENING.exec(line)?.[1]),
  );
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const url = await listeningUrl(proc, 'LivePerson emulator', () => announced, timeoutMs);
  await healthy(proc, 'LivePerson emulator', `${url}/api/account/${account}/service/baseURI.json?version=1.0`, timeoutMs);
  return {
    url,
    port: Number(new URL(url).port),
    process: proc,
    stop: async () => {
      await proc.stop();
    },
  };
}

/**
 * Starts emulators/graph/main.ts over HTTPS with the local CA's server certificate (the caller must trust the
 * CA: relaunchTrustingLocalCa) and waits until `GET /_emulator/stats` answers 200.
 */
export async function startGraphEmulatorProcess(options: GraphEmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const ca = ensureLocalCa();
  const args = [
    '--tls-cert',
    ca.serverCertPath,
    '--tls-key',
    ca.serverKeyPath,
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port ?? 0),
    '--seed',
    String(options.seed ?? 42),
    ...(options.extraArgs ?? []),
  ];
  let announced: string | undefined;
  const proc = await startTsEntry(
    'graph',
    'emulators/graph/main.ts',
    args,
    options.log,
    (line) => (announced ??= LISTENING.exec(line)?.[1]),
  );
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const url = await listeningUrl(proc, 'Graph emulator', () => announced, timeoutMs);
  await healthy(proc, 'Graph emulator', `${url}/_emulator/stats`, timeoutMs);
  return {
    url,
    port: Number(new URL(url).port),
    process: proc,
    stop: async () => {
      await proc.stop();
    },
  };
}

/** Options of the dev identity provider process (flags of emulators/identity/main.ts). */
export interface IdentityEmulatorProcessOptions {
  readonly port?: number;
  /** Pose as this issuer (default: its own URL). */
  readonly issuer?: string;
  readonly audience?: string;
  /** Redirect URIs of the console client (none: no console client is registered). */
  readonly consoleRedirectUris?: readonly string[];
  readonly consolePostLogoutUris?: readonly string[];
  readonly tokenTtlSeconds?: number;
  readonly log?: ProcessLog;
  readonly startTimeoutMs?: number;
}

/** Starts emulators/identity/main.ts and waits until its discovery document answers 200. */
export async function startIdentityEmulatorProcess(options: IdentityEmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const args = ['--host', '127.0.0.1', '--port', String(options.port ?? 0)];
  if (options.issuer !== undefined) args.push('--issuer', options.issuer);
  if (options.audience !== undefined) args.push('--audience', options.audience);
  for (const uri of options.consoleRedirectUris ?? []) args.push('--console-redirect-uri', uri);
  for (const uri of options.consolePostLogoutUris ?? []) args.push('--console-post-logout-uri', uri);
  if (options.tokenTtlSeconds !== undefined) args.push('--token-ttl', String(options.tokenTtlSeconds));
  let announced: string | undefined;
  const proc = await startTsEntry(
    'identity',
    'emulators/identity/main.ts',
    args,
    options.log,
    (line) => (announced ??= LISTENING.exec(line)?.[1]),
  );
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const url = await listeningUrl(proc, 'identity emulator', () => announced, timeoutMs);
  await healthy(proc, 'identity emulator', `${url}/.well-known/openid-configuration`, timeoutMs);
  return {
    url,
    port: Number(new URL(url).port),
    process: proc,
    stop: async () => {
      await proc.stop();
    },
  };
}
