import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { parseArgs } from 'node:util';
import { chooseEnvFile, loadEnvFile } from './env-file';

export const EXTRA_CA_VARIABLE = 'NODE_EXTRA_CA_CERTS';

/**
 * Node reads NODE_EXTRA_CA_CERTS (extra CAs to trust, e.g. the local stack's, whose Graph emulator serves HTTPS)
 * only when it starts, so one that comes from an env file cannot take effect in this process. Then the same
 * command runs again with it (output inherited, SIGINT/SIGTERM passed on) and this process exits with the
 * child's code; the returned promise never settles. Undefined when there is nothing to do.
 */
export function restartWithExtraCa(startedWith: string | undefined, wanted: string | undefined): Promise<never> | undefined {
  if (wanted === undefined || wanted === '' || wanted === startedWith) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [EXTRA_CA_VARIABLE]: wanted },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.once('error', (err) => {
    console.error(`Could not start again with ${EXTRA_CA_VARIABLE}=${wanted} from the env file: ${err.message}. Export it instead.`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)));
  return new Promise<never>(() => undefined);
}

/** The NODE_EXTRA_CA_CERTS an env file of the CLI would add (its `--env-file`, `LPA_ENV_FILE` or `.stack/env`), when not set. */
export function extraCaFromCliEnvFile(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string | undefined {
  if (env[EXTRA_CA_VARIABLE] !== undefined) return undefined;
  const { values } = parseArgs({ args: [...argv], options: { 'env-file': { type: 'string' } }, strict: false });
  const flag = typeof values['env-file'] === 'string' ? values['env-file'] : undefined;
  try {
    return loadEnvFile(chooseEnvFile({ ...(flag !== undefined ? { flag } : {}), env, cwd }))?.values[EXTRA_CA_VARIABLE];
  } catch {
    // An unreadable env file is reported by the command itself, with its fix.
    return undefined;
  }
}
