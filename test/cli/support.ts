import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/starter';
import type { CliEnv } from '../../src/cli/io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one command line in-process with captured output, as a non-TTY (plain lines, no bars). No env file is
 * read unless `cwd` is given (then `<cwd>/.stack/env`, as from the project root) or the arguments name one.
 */
export async function cli(argv: readonly string[], env: CliEnv = {}, opts: { readonly cwd?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
    env,
    isTTY: false,
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
  });
  return { code, stdout, stderr };
}

/** A fresh temporary directory; `file(name, text)` writes into it and returns the path. */
export function tempFiles(): { dir: string; file(name: string, text: string): string } {
  const dir = mkdtempSync(join(tmpdir(), 'lpa-cli-'));
  return {
    dir,
    file(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}
