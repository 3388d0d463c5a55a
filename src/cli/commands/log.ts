import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { storageConfigFromEnv } from '../../config/worker-env';
import { BlobStaging } from '../../storage/blob-staging';
import { outputFormat, type CliContext } from '../context';
import { readLogRange } from '../log-range';
import { CliError } from '../errors';
import { dayLogsCsv, formatDayLog } from '../format-day-log';
import { println } from '../io';

interface LogOptions {
  readonly from?: string;
  readonly to?: string;
  readonly out?: string;
}

/**
 * `log <name> [--from] [--to] [-o text|csv|json] [--out file]`: the per-day connector log from blob
 * storage (container `logs`), in the shape of Microsoft's data connector log.
 */
export function registerLog(program: Command, ctx: CliContext): void {
  program
    .command('log')
    .argument('<name>', 'connector name')
    .option('--from <day>', 'first UTC day, YYYY-MM-DD (default: 6 days before --to)')
    .option('--to <day>', 'last UTC day, YYYY-MM-DD (default: today)')
    .option('--out <file>', 'write to this file instead of standard output')
    .description("Print or download a connector's per-day log: counts that add up, and one row per failure (-o csv: every row)")
    .action(async (name: string, opts: LogOptions, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'csv', 'json']);
      const staging = new BlobStaging(storageConfigFromEnv(ctx.io.env));
      const { days, logs } = await readLogRange(staging, name, opts.from, opts.to);
      const text =
        format === 'csv'
          ? dayLogsCsv(logs)
          : format === 'json'
            ? `${JSON.stringify({ connector: name, days: logs }, null, 2)}\n`
            : `${logs.map((d) => formatDayLog(name, d)).join('\n\n')}\n`;
      if (opts.out) {
        try {
          await writeFile(opts.out, text, 'utf8');
        } catch (err) {
          throw new CliError(
            `Cannot write ${opts.out} (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path and permissions.`,
          );
        }
        const rows = logs.reduce((n, d) => n + d.rows.length, 0);
        println(
          ctx.io.stderr,
          `Wrote the log of connector "${name}" (${rows} rows, ${days[0]} to ${days[days.length - 1]}) to ${opts.out}`,
        );
      } else {
        ctx.io.stdout.write(text);
      }
    });
}
