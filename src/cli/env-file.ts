import { chooseEnvFile, envFileNotice, loadEnvFile, withEnvFile } from '../config/env-file';
import { CliError } from './errors';
import { println, type CliIO } from './io';

/**
 * The CLI's environment with an env file's variables added (`--env-file`, `LPA_ENV_FILE`, or the local
 * stack's `.stack/env` in the working directory), so that the commands the demo prints run without exports.
 * Variables already set win. Says once on stderr which file was read.
 */
export function ioWithEnvFile(io: CliIO, flag: string | undefined): CliIO {
  let file;
  try {
    file = loadEnvFile(
      chooseEnvFile({ ...(flag !== undefined ? { flag } : {}), env: io.env, ...(io.cwd !== undefined ? { cwd: io.cwd } : {}) }),
    );
  } catch (err) {
    throw new CliError((err as Error).message, { cause: err });
  }
  if (!file) return io;
  const { env, fromFile } = withEnvFile(io.env, file);
  println(io.stderr, envFileNotice(file, fromFile, io.cwd));
  return { ...io, env, envFile: file.path };
}
