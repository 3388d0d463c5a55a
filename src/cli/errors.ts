import { ConfigError } from '../config/connector-schema';
import { MissingSecretError } from '../config/secrets';

/** Process exit codes of the CLI, as the `temporal` CLI and imapsync use them. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the operator can act on: the message names the cause and the fix. Exit code 1. */
export class CliError extends Error {
  readonly exitCode: ExitCode = EXIT.failure;
  /** Stable name of the failure for `-o json` readers. */
  readonly code: string;
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.name = 'CliError';
    this.code = options?.code ?? 'failure';
  }
}

/** The command line itself is wrong (bad flag value, bad date). Exit code 2. */
export class UsageError extends Error {
  readonly exitCode: ExitCode = EXIT.usage;
  readonly code = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** No connector workflow of that name exists on the Temporal namespace. */
export class ConnectorNotFoundError extends CliError {
  constructor(
    readonly connector: string,
    readonly workflowId: string,
    readonly namespace: string,
  ) {
    super(
      `No connector named "${connector}" (workflow ${workflowId}) in namespace "${namespace}". List them with "connector list", or start it with "connector start <config-file>".`,
      { code: 'connector-not-found' },
    );
    this.name = 'ConnectorNotFoundError';
  }
}

/** The connector exists but its workflow is closed, so it cannot take a signal. */
export class ConnectorNotRunningError extends CliError {
  constructor(
    readonly connector: string,
    readonly status: string,
  ) {
    super(
      `Connector "${connector}" is not running (its workflow is ${status}). Start it again with "connector start <config-file>"; it carries on from its cursor.`,
      { code: 'connector-not-running' },
    );
    this.name = 'ConnectorNotRunningError';
  }
}

/**
 * A setting this command needs is missing from its environment. The advice is for the operator at the
 * terminal (the env file, or an export), not the worker's ("set it where the worker runs, then resume").
 */
export function missingSettingError(err: MissingSecretError, envFile: string | undefined): CliError {
  const where = envFile
    ? `It is not in ${envFile} either: pass --env-file <file> with it, or export ${err.variable}.`
    : `Against the local stack, start it (npm run stack or npm run demo: they write .stack/env, which this command reads) or pass --env-file <file>; elsewhere export ${err.variable}.`;
  return new CliError(`This command needs ${err.variable} (${err.purpose}). ${where}`, { cause: err, code: 'missing-setting' });
}

/** Temporal returned payloads this CLI cannot decode: they are encrypted and it has no key (or another one). */
export function isEncryptedPayloadError(err: unknown): boolean {
  return err instanceof Error && /Unknown encoding: binary\/encrypted|Unknown encryption key/i.test(err.message);
}

/** The operator's fix for {@link isEncryptedPayloadError}. */
export function encryptedPayloadError(err: Error, envFile: string | undefined): CliError {
  return new CliError(
    `The connector's payloads are encrypted and this command cannot read them (${err.message}). It needs the workers' key: ` +
      (envFile
        ? `${envFile} has no usable LPA_CODEC_KEYS_FILE / LPA_CODEC_KEYS; pass --env-file with the right one, or export LPA_CODEC_KEYS_FILE.`
        : 'against the local stack, start it (npm run stack or npm run demo write .stack/env with LPA_CODEC_KEYS_FILE, read by this command) or pass --env-file <file>; elsewhere export LPA_CODEC_KEYS_FILE (or LPA_CODEC_KEYS) as the workers have it.'),
    { cause: err, code: 'cannot-decrypt' },
  );
}

/** Exit code, JSON code and message of any error a command throws, worded for the operator. */
export function describeFailure(err: unknown, envFile?: string): { exitCode: ExitCode; code: string; message: string } {
  if (err instanceof CliError || err instanceof UsageError) return { exitCode: err.exitCode, code: err.code, message: err.message };
  if (err instanceof MissingSecretError) return describeFailure(missingSettingError(err, envFile));
  if (isEncryptedPayloadError(err)) return describeFailure(encryptedPayloadError(err as Error, envFile));
  if (err instanceof ConfigError) return { exitCode: EXIT.failure, code: 'invalid-config', message: err.message };
  if (err instanceof Error) return { exitCode: EXIT.failure, code: 'failure', message: err.message || err.name };
  return { exitCode: EXIT.failure, code: 'failure', message: String(err) };
}
