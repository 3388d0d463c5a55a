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
}

/** The real terminal. */
export function processIO(): CliIO {
  return {
    stdout: { write: (t) => void process.stdout.write(t) },
    stderr: { write: (t) => void process.stderr.write(t) },
    env: process.env,
    isTTY: process.stderr.isTTY === true,
    progressStream: process.stderr,
  };
}

/** Writes one line (adds the newline). */
export function println(w: CliWriter, line = ''): void {
  w.write(`${line}\n`);
}
