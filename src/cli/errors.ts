import { ConfigError } from '../config/connector-schema';
import { MissingSecretError } from '../config/secrets';

/** Process exit codes of the CLI, as the `temporal` CLI and imapsync use them. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the operator can act on: the message names the cause and the fix. Exit code 1. */
export class CliError extends Error {
  readonly exitCode: ExitCode = EXIT.failure;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** The command line itself is wrong (bad flag value, bad date). Exit code 2. */
export class UsageError extends Error {
  readonly exitCode: ExitCode = EXIT.usage;
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
    );
    this.name = 'ConnectorNotRunningError';
  }
}

/** Exit code and message of any error a command throws. */
export function describeFailure(err: unknown): { exitCode: ExitCode; message: string } {
  if (err instanceof CliError || err instanceof UsageError) return { exitCode: err.exitCode, message: err.message };
  if (err instanceof ConfigError || err instanceof MissingSecretError) return { exitCode: EXIT.failure, message: err.message };
  if (err instanceof Error) return { exitCode: EXIT.failure, message: err.message || err.name };
  return { exitCode: EXIT.failure, message: String(err) };
}
