import * as path from 'node:path';
import { PROJECT_ROOT } from './paths';
import { findFreePort } from './ports';
import { startProcess, type ManagedProcess, type ProcessLog } from './process';
import { waitForHttp } from './wait';

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
  readonly conversations?: number;
  readonly days?: number;
  readonly livePerMinute?: number;
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
 * `npx tsx` (npx → tsx → node), so the pid we stop is the server itself and nothing is orphaned.
 */
async function startTsEntry(
  name: string,
  entry: string,
  args: readonly string[],
  log: ProcessLog | undefined,
): Promise<ManagedProcess> {
  return startProcess({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(PROJECT_ROOT, entry), ...args],
    cwd: PROJECT_ROOT,
    log,
  });
}

async function healthy(proc: ManagedProcess, service: string, url: string, timeoutMs: number): Promise<void> {
  try {
    await waitForHttp(url, { service, timeoutMs, process: proc });
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

/** Starts emulators/liveperson/main.ts and waits until its CSDS domain lookup answers 200. */
export async function startLivePersonEmulatorProcess(options: LivePersonEmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const port = options.port || (await findFreePort());
  const account = options.account ?? '12345678';
  const args = ['--host', '127.0.0.1', '--port', String(port), '--account', account, '--seed', String(options.seed ?? 42)];
  if (options.conversations !== undefined) args.push('--conversations', String(options.conversations));
  if (options.days !== undefined) args.push('--days', String(options.days));
  if (options.livePerMinute !== undefined) args.push('--live-per-minute', String(options.livePerMinute));
  args.push(...(options.extraArgs ?? []));
  const proc = await startTsEntry('liveperson', 'emulators/liveperson/main.ts', args, options.log);
  const url = `http://127.0.0.1:${port}`;
  await healthy(proc, 'LivePerson emulator', `${url}/api/account/${account}/service/baseURI.json?version=1.0`, options.startTimeoutMs ?? 60_000);
  return { url, port, process: proc, stop: async () => {
    await proc.stop();
  } };
}

/** Starts emulators/graph/main.ts and waits until `GET /_emulator/stats` answers 200. */
export async function startGraphEmulatorProcess(options: GraphEmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const port = options.port || (await findFreePort());
  const args = ['--host', '127.0.0.1', '--port', String(port), '--seed', String(options.seed ?? 42), ...(options.extraArgs ?? [])];
  const proc = await startTsEntry('graph', 'emulators/graph/main.ts', args, options.log);
  const url = `http://127.0.0.1:${port}`;
  await healthy(proc, 'Graph emulator', `${url}/_emulator/stats`, options.startTimeoutMs ?? 60_000);
  return { url, port, process: proc, stop: async () => {
    await proc.stop();
  } };
}
