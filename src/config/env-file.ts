import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'dotenv';

type Env = Readonly<Record<string, string | undefined>>;

/** Where `npm run stack` and `npm run demo` write the local stack's environment (relative to the project root). */
export const STACK_ENV_FILE = path.join('.stack', 'env');

/** Names the env file to read; an empty value turns the automatic `.stack/env` off. */
export const ENV_FILE_VARIABLE = 'LPA_ENV_FILE';

/** An env file that was asked for explicitly but cannot be used; the message names the file and the fix. */
export class EnvFileError extends Error {
  override readonly name = 'EnvFileError';
}

/** Which env file to read and why: `--env-file`, `LPA_ENV_FILE`, or the local stack's file found in the working directory. */
export interface EnvFileChoice {
  readonly path: string;
  readonly source: '--env-file' | typeof ENV_FILE_VARIABLE | 'default';
}

/**
 * The env file for this process: the `--env-file` flag, else `LPA_ENV_FILE` (empty: none), else
 * `<cwd>/.stack/env` when `cwd` is given (the caller decides whether a default applies; tests pass none).
 */
export function chooseEnvFile(opts: { readonly flag?: string; readonly env: Env; readonly cwd?: string }): EnvFileChoice | undefined {
  if (opts.flag !== undefined && opts.flag !== '') return { path: path.resolve(opts.cwd ?? '.', opts.flag), source: '--env-file' };
  const named = opts.env[ENV_FILE_VARIABLE];
  if (named !== undefined) return named === '' ? undefined : { path: path.resolve(opts.cwd ?? '.', named), source: ENV_FILE_VARIABLE };
  return opts.cwd !== undefined ? { path: path.join(opts.cwd, STACK_ENV_FILE), source: 'default' } : undefined;
}

/** What {@link loadEnvFile} found: the file and its variables, as written. */
export interface LoadedEnvFile {
  readonly path: string;
  readonly values: Readonly<Record<string, string>>;
}

/**
 * Reads and parses an env file (dotenv syntax). The default file may be missing (no local stack yet); a
 * file named by `--env-file` or `LPA_ENV_FILE` must exist.
 * @throws EnvFileError when an explicitly named file cannot be read
 */
export function loadEnvFile(choice: EnvFileChoice | undefined): LoadedEnvFile | undefined {
  if (!choice) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(choice.path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    if (choice.source === 'default' && code === 'ENOENT') return undefined;
    throw new EnvFileError(
      `${choice.source === 'default' ? 'The local stack env file' : choice.source} ${choice.path} cannot be read (${code}). ` +
        `Start the local stack (npm run stack or npm run demo writes ${STACK_ENV_FILE}), or give the path of an existing env file.`,
    );
  }
  return { path: choice.path, values: parse(text) };
}

/** The environment with the file's variables added; a variable already set (even to "") wins over the file. */
export function withEnvFile(env: Env, file: LoadedEnvFile | undefined): { env: Record<string, string | undefined>; fromFile: string[] } {
  const merged: Record<string, string | undefined> = { ...env };
  const fromFile: string[] = [];
  for (const [key, value] of Object.entries(file?.values ?? {})) {
    if (merged[key] !== undefined) continue;
    merged[key] = value;
    fromFile.push(key);
  }
  return { env: merged, fromFile };
}

/** The one short line that says which file was read (relative to `cwd` when inside it). */
export function envFileNotice(file: LoadedEnvFile, fromFile: readonly string[], cwd = process.cwd()): string {
  const rel = path.relative(cwd, file.path);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file.path;
  const total = Object.keys(file.values).length;
  const kept = total - fromFile.length;
  return `Read ${shown} (${fromFile.length} variable${fromFile.length === 1 ? '' : 's'}${kept > 0 ? `; ${kept} already set in the environment, kept` : ''})`;
}

/**
 * An env file in dotenv syntax that a POSIX shell can also source (`set -a; . .stack/env`): values in single
 * quotes (literal for both), or double quotes when a value holds a single quote and nothing a shell expands there.
 */
export function formatEnvFile(values: Readonly<Record<string, string>>, comment: readonly string[] = []): string {
  const lines = comment.map((c) => `# ${c}`);
  for (const [key, value] of Object.entries(values)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new EnvFileError(`"${key}" is not a valid environment variable name.`);
    if (/[\r\n]/.test(value)) throw new EnvFileError(`The value of ${key} spans lines; an env file holds one line per variable.`);
    if (!value.includes("'")) lines.push(`${key}='${value}'`);
    // dotenv does not unescape inside quotes, so a value needing escapes in both quote styles cannot be written.
    else if (!/["\\$`]/.test(value)) lines.push(`${key}="${value}"`);
    else throw new EnvFileError(`The value of ${key} holds both quote styles (or \\, $, \`); set it in the environment instead.`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * For the worker: adds the env file's variables to `target` (normally process.env) before anything reads it;
 * variables already set win. Returns the line to log, or undefined when no file was read.
 */
export function applyEnvFile(
  target: Record<string, string | undefined>,
  opts: { readonly flag?: string; readonly cwd?: string },
): string | undefined {
  const file = loadEnvFile(chooseEnvFile({ ...opts, env: target }));
  if (!file) return undefined;
  const { env, fromFile } = withEnvFile(target, file);
  for (const key of fromFile) target[key] = env[key];
  return envFileNotice(file, fromFile, opts.cwd);
}
