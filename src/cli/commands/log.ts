import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { storageConfigFromEnv } from '../../config/worker-env';
import { BlobStaging } from '../../storage/blob-staging';
import { findConnector } from '../connector-lookup';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { connectorLogPrefix } from '../day-log';
import { CliError, ConnectorNotFoundError } from '../errors';
import { readLogRange } from '../log-range';
import { dayLogsCsv, formatDayLog } from '../format-day-log';
import { println, type CliEnv } from '../io';
import { withClient, type TemporalOverrides } from '../temporal-client';
import { timeFormatOf, timeFormatter } from '../time-format';

interface LogOptions {
  readonly from?: string;
  readonly to?: string;
  readonly out?: string;
}

/** How long `log` waits for Temporal when it asks whether a connector without any log exists. */
const EXISTS_CONNECT_TIMEOUT_S = 5;

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
      const time = timeFormatter(timeFormatOf(cmd, ctx.io.env), ctx.io.env);
      const staging = new BlobStaging(storageConfigFromEnv(ctx.io.env));
      const { days, logs } = await readLogRange(staging, name, opts.from, opts.to);
      if (logs.every((d) => d.rows.length === 0)) await assertConnectorExists(staging, name, temporalOverrides(cmd), ctx.io.env);
      const text =
        format === 'csv'
          ? dayLogsCsv(logs)
          : format === 'json'
            ? `${JSON.stringify({ connector: name, days: logs }, null, 2)}\n`
            : `${logs.map((d) => formatDayLog(name, d, time)).join('\n\n')}\n`;
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

/**
 * A range without rows is only news about a connector that exists: one with a log on other days, or known
 * to Temporal (started, nothing imported yet). A name that is neither is a typo: exit 1, not seven
 * "No items ingested" lines.
 */
async function assertConnectorExists(
  store: { hasAny(kind: 'logs', prefix: string): Promise<boolean> },
  name: string,
  overrides: TemporalOverrides,
  env: CliEnv,
): Promise<void> {
  if (await store.hasAny('logs', connectorLogPrefix(name))) return;
  try {
    await withClient({ connectTimeoutSeconds: EXISTS_CONNECT_TIMEOUT_S, ...overrides }, env, (c) => findConnector(c, name));
  } catch (err) {
    if (err instanceof ConnectorNotFoundError) {
      throw new CliError(`${err.message} Its log has no rows either (storage has none for "${name}" on any day).`, {
        code: 'connector-not-found',
      });
    }
    throw new CliError(
      `Connector "${name}" has no log on any day, and Temporal could not be asked whether it exists (${(err as Error).message}). Check the name with "connector list".`,
      { cause: err, code: 'connector-not-found' },
    );
  }
}
