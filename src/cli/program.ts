import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check';
import { registerConnectorDelete } from './commands/connector-delete';
import { registerConnectorList } from './commands/connector-list';
import { registerConnectorReconfigure } from './commands/connector-reconfigure';
import { registerConnectorReimport } from './commands/connector-reimport';
import { registerConnectorScheduleCleanup } from './commands/connector-schedule-cleanup';
import { registerConnectorSignals } from './commands/connector-signal';
import { registerConnectorStart } from './commands/connector-start';
import { registerConnectorStatus } from './commands/connector-status';
import { registerDryRun } from './commands/dry-run';
import { registerLog } from './commands/log';
import { registerMappingTemplate } from './commands/mapping-template';
import { registerMappingValidate } from './commands/mapping-validate';
import { globalsOf, type CliContext } from './context';
import { ioWithEnvFile } from './env-file';
import { describeFailure, EXIT } from './errors';
import { println, processIO, type CliIO } from './io';

/**
 * The ops CLI, noun–verb like the `temporal` CLI. Commands write through `ctx.io` and report failure by
 * throwing (or by setting `ctx.exitCode`); {@link runCli} turns that into an exit code.
 */
export function buildCli(ctx: CliContext = { io: processIO(), exitCode: EXIT.ok }): Command {
  const program = new Command('lp-archive')
    .description('Archive LivePerson conversations into Microsoft 365 mailboxes: operate the connectors')
    .option('--address <host:port>', 'Temporal frontend (overrides TEMPORAL_ADDRESS / temporal.toml)')
    .option('-n, --namespace <namespace>', 'Temporal namespace (overrides TEMPORAL_NAMESPACE)')
    .option('--task-queue <name>', 'task queue of the workers (overrides LPA_TASK_QUEUE; default lp-archive)')
    .option('--connect-timeout <seconds>', 'how long to wait for Temporal to answer (default 10)')
    .option('-o, --output <format>', 'text or json (log also takes csv)', 'text')
    .option('--env-file <path>', 'read variables from this env file (default: .stack/env of the local stack, when present; LPA_ENV_FILE)')
    .option('--time-format <format>', 'times in text output: iso (UTC, default) or local (LPA_TIME_FORMAT)')
    // Settings below are inherited by every subcommand created after them.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage)')
    // Before every command: its environment gains the env file's variables, and failures learn the -o format.
    .hook('preAction', (_program, action) => {
      const globals = globalsOf(action);
      ctx.output = globals.output;
      ctx.io = ioWithEnvFile(ctx.io, globals.envFile);
    });

  const connector = program.command('connector').description('Start, list, watch and control connectors');
  registerConnectorStart(connector, ctx);
  registerConnectorList(connector, ctx);
  registerConnectorStatus(connector, ctx);
  registerConnectorSignals(connector, ctx);
  registerConnectorReconfigure(connector, ctx);
  registerConnectorReimport(connector, ctx);
  registerConnectorScheduleCleanup(connector, ctx);
  registerConnectorDelete(connector, ctx);

  registerLog(program, ctx);
  registerCheck(program, ctx);
  registerDryRun(program, ctx);

  const mapping = program.command('mapping').description('The mapping CSV (LivePerson user → Microsoft 365 user)');
  registerMappingTemplate(mapping, ctx);
  registerMappingValidate(mapping, ctx);
  return program;
}

/**
 * Runs one command line (`argv` without the node and script names) and returns the exit code:
 * 0 ok, 1 failure, 2 usage error. Never throws and never exits the process.
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const ctx: CliContext = { io, exitCode: EXIT.ok };
  try {
    await buildCli(ctx).parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version end in a CommanderError with exit code 0; everything else is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const f = describeFailure(err, ctx.io.envFile);
    // Under -o json a failure is JSON too (on stdout, where a script reads the answer), never plain text.
    if (ctx.output?.toLowerCase() === 'json')
      println(ctx.io.stdout, JSON.stringify({ ok: false, error: { code: f.code, message: f.message } }, null, 2));
    else println(ctx.io.stderr, `Error: ${f.message}`);
    return f.exitCode;
  }
}
