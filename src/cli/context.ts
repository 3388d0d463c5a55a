import type { Command } from 'commander';
import { UsageError } from './errors';
import type { CliIO } from './io';
import type { TemporalOverrides } from './temporal-client';

/** Output formats; each command accepts a subset (`log` also takes csv). */
export const OUTPUT_FORMATS = ['text', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Flags every command accepts, like the `temporal` CLI's global flags. */
export interface GlobalOptions {
  readonly address?: string;
  readonly namespace?: string;
  readonly taskQueue?: string;
  readonly connectTimeout?: string;
  readonly output?: string;
  readonly envFile?: string;
  readonly timeFormat?: string;
}

/** What each command's action receives besides its own arguments. */
export interface CliContext {
  /** Replaced before each command runs by one whose environment includes the env file (see ioWithEnvFile). */
  io: CliIO;
  /** The `-o` format of the command line, once parsed: failures are reported in it. */
  output?: string;
  /** Set by commands that report failures themselves (e.g. `check`): the process exits with it. */
  exitCode: number;
}

/** The global flags as given on the command line (before or after the subcommand). */
export function globalsOf(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** The Temporal overrides from the global flags. */
export function temporalOverrides(cmd: Command): TemporalOverrides {
  const g = globalsOf(cmd);
  return {
    ...(g.address ? { address: g.address } : {}),
    ...(g.namespace ? { namespace: g.namespace } : {}),
    ...(g.taskQueue ? { taskQueue: g.taskQueue } : {}),
    ...(g.connectTimeout !== undefined ? { connectTimeoutSeconds: seconds('--connect-timeout', g.connectTimeout) } : {}),
  };
}

/** The `-o` format for this command; a format the command does not support is a usage error. */
export function outputFormat<F extends OutputFormat>(cmd: Command, allowed: readonly F[]): F {
  const o = (globalsOf(cmd).output ?? 'text').toLowerCase();
  if (!(allowed as readonly string[]).includes(o)) {
    throw new UsageError(`"${cmd.name()}" does not support -o ${o}; use one of: ${allowed.join(', ')}.`);
  }
  return o as F;
}

function seconds(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number of seconds, got "${v}".`);
  return n;
}
