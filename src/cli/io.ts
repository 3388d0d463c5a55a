/**
 * Where the CLI writes and what it reads from its surroundings. Commands never touch `process` directly,
 * so tests run them in-process with captured output and their own environment.
 */
export interface CliWriter {
  write(text: string): void;
}

export type CliEnv = Readonly<Record<string, string | undefined>>;

export interface CliIO {
  readonly stdout: CliWriter;
  readonly stderr: CliWriter;
  readonly env: CliEnv;
  /** True when stderr is an interactive terminal: progress bars instead of plain lines. */
  readonly isTTY: boolean;
  /** The stream cli-progress draws on (only used when `isTTY`). */
  readonly progressStream?: NodeJS.WritableStream;
  /** Where the local stack's `.stack/env` is looked for when no env file is named; none: no default file. */
  readonly cwd?: string;
  /** The env file whose variables `env` holds (set once it was read), for advice that names it. */
  readonly envFile?: string;
}

/** The real terminal. */
export function processIO(): CliIO {
  quietOnClosedPipe(process.stdout, () => process.exit(0));
  quietOnClosedPipe(process.stderr, () => process.exit(0));
  return {
    stdout: { write: (t) => void process.stdout.write(t) },
    stderr: { write: (t) => void process.stderr.write(t) },
    env: process.env,
    isTTY: process.stderr.isTTY === true,
    progressStream: process.stderr,
    cwd: process.cwd(),
  };
}

/**
 * `lp-archive … | head` closes the pipe while the command still writes: Node then emits EPIPE on the
 * stream, which would crash the process with an unhandled 'error' event. The reader has all it wanted,
 * so the command ends quietly with `exit` (exit code 0). Other stream errors are rethrown.
 */
export function quietOnClosedPipe(stream: NodeJS.EventEmitter, exit: () => void): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit();
    else throw err;
  });
}

const guarded = new WeakSet<NodeJS.EventEmitter>();

/** Writes one line (adds the newline). */
export function println(w: CliWriter, line = ''): void {
  w.write(`${line}\n`);
}
