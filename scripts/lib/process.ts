import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { StackError, ToolInstallError } from './errors';

/** Where a child's output lines go: the console with a `[name]` prefix, nowhere, or a callback. */
export type ProcessLog = 'inherit' | 'silent' | ((line: string) => void);

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  /** Short service name, used as the log prefix and in error messages. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Added to (not replacing) the parent's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Default `'inherit'`. The last lines are always kept for error messages. */
  readonly log?: ProcessLog;
}

/** How a process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process the stack started and must stop. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** `undefined` while running. */
  exitInfo(): ExitInfo | undefined;
  /** The last output lines (stdout and stderr), for error messages. */
  recentOutput(): readonly string[];
  /** SIGTERM, then SIGKILL after `graceMs` (default 5 s). Resolves once the process is gone. */
  stop(graceMs?: number): Promise<ExitInfo>;
}

const RECENT_LINES = 40;

/**
 * Every child still running, so a crash or `process.exit()` of the parent does not leave orphans.
 * Children share our process group, so a terminal Ctrl-C reaches them directly as well.
 */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGTERM');
  });
}

/**
 * Starts a long-running child process with its output prefixed by `[name]`.
 * Spawn failures (e.g. a missing binary) reject with a clear error instead of an unhandled 'error' event.
 */
export async function startProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  installExitHook();
  const { name } = options;
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new ToolInstallError(
              options.command,
              `Cannot start ${name}: \`${options.command}\` was not found. Install it or fix the path.`,
              { cause: err },
            )
          : new StackError(`Cannot start ${name} (\`${options.command}\`): ${err.message}`, { cause: err }),
      );
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new StackError(`Cannot start ${name}: the OS gave no process id.`);
  running.add(child);

  const recent: string[] = [];
  const log = options.log ?? 'inherit';
  // Servers log scary warnings while shutting down (e.g. Temporal's "Failed to poll for task"); once we
  // asked a process to stop, its lines are kept for diagnosis but no longer printed.
  let stopping = false;
  const onLine = (line: string): void => {
    recent.push(line);
    if (recent.length > RECENT_LINES) recent.shift();
    if (stopping) return;
    if (log === 'inherit') process.stderr.write(`[${name}] ${line}\n`);
    else if (typeof log === 'function') log(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
  }

  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      resolve(exit);
    });
  });

  const stop = async (graceMs = 5_000): Promise<ExitInfo> => {
    if (exit) return exit;
    stopping = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    timer.unref();
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  return { name, pid, exited, exitInfo: () => exit, recentOutput: () => [...recent], stop };
}
